module github.com/cnnc/cnnc

go 1.26.8

require (
	github.com/alecthomas/participle/v2 v2.1.4
	github.com/alecthomas/repr v0.4.0
)

require (
	github.com/rogpeppe/go-internal v1.16.0 // indirect
	golang.org/x/image v0.48.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/tools v0.26.0 // indirect
)

require golang.org/x/sys v0.50.0
