package testcontainers

//go:generate mockery
//go:generate gci write -s standard -s default -s prefix(github.com/testcontainers) .
