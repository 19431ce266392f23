" .cnn files are models in the language of cnnc.
autocmd BufRead,BufNewFile *.cnn setfiletype cnn
