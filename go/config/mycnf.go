package config

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ReadClientConf reads user, password, host and port from the [client] section of a
// my.cnf style file. Values already set in c win.
func ReadClientConf(path string, c *Config) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: --conf: %v", ErrInvalid, err)
	}
	defer f.Close()
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.ToLower(strings.TrimSpace(line[1 : len(line)-1]))
			continue
		}
		if section != "client" {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		k = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(k)), "_", "-")
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch k {
		case "user":
			if c.User == "" {
				c.User = v
			}
		case "password":
			if c.Password == "" {
				c.Password = v
			}
		case "host":
			if c.Host == "" {
				c.Host = v
			}
		case "port":
			if c.Port == 0 {
				p, err := strconv.Atoi(v)
				if err != nil {
					return fmt.Errorf("%w: --conf %s: port %q is not a number", ErrInvalid, path, v)
				}
				c.Port = p
			}
		}
	}
	return sc.Err()
}
