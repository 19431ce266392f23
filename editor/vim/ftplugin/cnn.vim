" The .cnn language of cnnc: comments, indentation and gq as cnnc fmt.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal comments=:# commentstring=#\ %s
setlocal expandtab shiftwidth=2 softtabstop=2
" gq formats the lines it is given as cnnc fmt would; on a whole file
" (gggqG) that is exactly cnnc fmt. A file that does not parse is left
" as it is, and the errors are shown instead.
setlocal formatprg=cnnc\ fmt

let b:undo_ftplugin = 'setlocal comments< commentstring< expandtab< shiftwidth< softtabstop< formatprg<'
