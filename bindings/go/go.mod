module github.com/pqshift/pqshift/bindings/go

go 1.24
