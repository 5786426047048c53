module alojamientos

go 1.24
