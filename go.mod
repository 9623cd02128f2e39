module github.com/pistahq/pista

go 1.26.0

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/nyaruka/phonenumbers v1.8.1 // indirect
	github.com/rickar/cal/v2 v2.1.13 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
