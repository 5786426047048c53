// Command tool imports the driver without being allowed to.
package main

import _ "github.com/jackc/pgx/v5/pgxpool"

func main() {}
