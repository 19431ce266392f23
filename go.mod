module github.com/cnnc/cnnc

go 1.26.8

require (
	github.com/alecthomas/participle/v2 v2.1.4
	github.com/alecthomas/repr v0.4.0
)
