module kensho.test/sdk-go

go 1.19

require github.com/kensho/kensho-go v0.0.0

replace github.com/kensho/kensho-go => ../../go
