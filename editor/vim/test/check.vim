" Checks the syntax groups of test/sample.cnn against its annotations:
" a comment line `#   ^ GROUP` names the group (NONE for none) of the
" column of the caret in the nearest line above that is not an annotation;
" `# <- GROUP` names the group of the first column.
"
"   vim -N -u NONE -i NONE -es -S editor/vim/test/check.vim
"
" prints each mismatch and exits non-zero if there is one.
let s:here = expand('<sfile>:p:h')
let &runtimepath = fnamemodify(s:here, ':h') . ',' . &runtimepath
filetype plugin on
syntax on
execute 'edit ' . fnameescape(s:here . '/sample.cnn')

let s:errors = []
if &filetype !=# 'cnn'
  call add(s:errors, 'ftdetect: filetype is "' . &filetype . '", want cnn')
endif
if &l:formatprg !=# 'cnnc fmt'
  call add(s:errors, 'ftplugin: formatprg is "' . &l:formatprg . '", want cnnc fmt')
endif
let s:target = 0
let s:checked = 0
for s:lnum in range(1, line('$'))
  let s:line = getline(s:lnum)
  let s:m = matchlist(s:line, '^\(#\s*\)\(\^\|<-\)\s\+\(\S\+\)')
  if empty(s:m)
    let s:target = s:lnum
    continue
  endif
  let s:col = s:m[2] ==# '<-' ? 1 : len(s:m[1]) + 1
  let s:got = synIDattr(synID(s:target, s:col, 1), 'name')
  let s:want = s:m[3] ==# 'NONE' ? '' : s:m[3]
  let s:checked += 1
  if s:got !=# s:want
    call add(s:errors, printf('sample.cnn:%d:%d: group "%s", want "%s" (annotation on line %d)', s:target, s:col, s:got, s:want, s:lnum))
  endif
endfor
if s:checked == 0
  call add(s:errors, 'no annotations checked')
endif
" Ex mode prints :print's lines on stdout (writing to /dev/stdout instead
" would reopen it and clobber the output around vim's).
let s:report = s:errors + [printf('vim: %d passed, %d failed', s:checked - len(s:errors), len(s:errors))]
enew
call setline(1, s:report)
%print
if empty(s:errors)
  qall!
endif
cquit!
