module github.com/kensho/kensho-go

go 1.23

require (
)
