// Package deps pins the modules ghost builds on until each is imported by real code.
package deps

import (
	_ "github.com/go-mysql-org/go-mysql/replication"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/pingcap/tidb/pkg/parser"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"
	_ "github.com/sirupsen/logrus"
	_ "github.com/testcontainers/testcontainers-go"
	_ "github.com/testcontainers/testcontainers-go/modules/mysql"
	_ "github.com/urfave/cli/v2"
	_ "golang.org/x/sync/errgroup"
)
