" Vim syntax file
" Language: cnn, the language of cnnc (docs/language.md)

if exists('b:current_syntax')
  finish
endif

syn case match

" Later items win over earlier ones that match at the same place, so the
" general patterns come first and the particular ones last.
syn match cnnOperator '[-+*/%=?]'
syn match cnnArrow '->'
syn match cnnDelimiter '[<>|;,]'

syn match cnnInt '\<\d\+\>'
syn match cnnFloat '\<\d\+\.\d\+\([eE][-+]\=\d\+\)\=\>'
syn match cnnFloat '\<\d\+[eE][-+]\=\d\+\>'
syn match cnnDims '\<\d\+\(x\d\+\)\+\>'

syn match cnnCall '\<\h\w*\ze\s*('
syn match cnnLayer '\<\(conv\|maxpool\|avgpool\|adaptiveavgpool\|globalavgpool\|gap\|batchnorm\|relu6\|relu\|leakyrelu\|hardtanh\|sigmoid\|tanh\|hardswish\|hardsigmoid\|silu\|swish\|gelu\|mish\|elu\|selu\|softplus\|prelu\|softmax\|logsoftmax\|dense\|linear\|flatten\|dropout\|identity\)\>'
syn match cnnAttribute '\<[kspdg]\d\+\(x\d\+\)\=\>'
syn match cnnFlag '\<\(nobias\|ceil\)\>'
" A flag that is also a layer's name: gelu's tanh approximation.
syn match cnnFlag '\(\<gelu\s\+\)\@<=tanh\>'
syn match cnnOption '\<\(input\|mean\|std\|labels\|weights\)\>\ze\s\+[A-Za-z0-9_"(]'
syn match cnnKey '\<\h\w*\ze\s*=[^=]'
syn match cnnMember '\<\h\w*\ze\s*:'

syn keyword cnnDeclaration def let model
syn keyword cnnInclude import
syn keyword cnnKeyword repeat residual concat shortcut then block
syn keyword cnnOperatorWord in

syn match cnnDefName '\(\<def\s\+\)\@<=\h\w*'
syn match cnnModelName '\(\<model\s\+\)\@<=\h\w*'
syn match cnnLetName '\(\<let\s\+\)\@<=\h\w*'

syn match cnnEscape '\\\([\\"abfnrtv]\|\o\{3}\|x\x\{2}\|u\x\{4}\|U\x\{8}\)' contained
syn region cnnString start='"' skip='\\.' end='"' end='$' oneline contains=cnnEscape
syn keyword cnnTodo TODO FIXME XXX contained
syn match cnnComment '#.*$' contains=cnnTodo

hi def link cnnOperator Operator
hi def link cnnArrow Operator
hi def link cnnOperatorWord Operator
hi def link cnnDelimiter Delimiter
hi def link cnnInt Number
hi def link cnnDims Number
hi def link cnnFloat Float
hi def link cnnCall Function
hi def link cnnLayer Function
hi def link cnnAttribute Identifier
hi def link cnnFlag Constant
hi def link cnnOption Identifier
hi def link cnnKey Identifier
hi def link cnnMember Label
hi def link cnnDeclaration Statement
hi def link cnnInclude Include
hi def link cnnKeyword Keyword
hi def link cnnDefName Function
hi def link cnnModelName Type
hi def link cnnLetName Constant
hi def link cnnEscape SpecialChar
hi def link cnnString String
hi def link cnnTodo Todo
hi def link cnnComment Comment

let b:current_syntax = 'cnn'
