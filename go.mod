module github.com/pistahq/pista

go 1.26.0

require (
	github.com/expr-lang/expr v1.17.8
	github.com/nyaruka/phonenumbers v1.8.1
	github.com/rickar/cal/v2 v2.1.13
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/net v0.62.0
	golang.org/x/text v0.43.0
)

require google.golang.org/protobuf v1.36.11 // indirect
