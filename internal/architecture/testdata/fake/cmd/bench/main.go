// Command bench is on the allow-list.
package main

import _ "github.com/jackc/pgx/v5"

func main() {}
