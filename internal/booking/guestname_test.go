package booking_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
)

func TestCheckGuestName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Juana Pérez", "María José O'Neill-Pérez", "J. R. R. Tolkien", "J.R. Smith", "Sra. Ana D’Alessandro",
		"Zoë Ñañez", "李小龙", "François", "Ng"} {
		got, msg := booking.CheckGuestName("  " + name + " ")
		require.Empty(t, msg, name)
		require.Equal(t, name, got)
	}
	got, msg := booking.CheckGuestName("Ana \t  María")
	require.Empty(t, msg)
	require.Equal(t, "Ana María", got, "spaces tidied")

	links := "El nombre no puede tener links ni direcciones web."
	symbols := "El nombre solo puede tener letras, espacios, apóstrofos, guiones y puntos de iniciales."
	for name, want := range map[string]string{
		"https://x.example":   links,
		"Hola HTTP://X":       links,
		"www.premio":          links,
		"premio.example":      links,
		"x.co":                links,
		"Ana ana@example.com": "El nombre no puede ser un email: escribí solo el nombre y el apellido.",
		"Ana 2":               "El nombre no puede tener números.",
		"Ana ٣":               "El nombre no puede tener números.",
		"<b>Ana</b>":          symbols,
		"_Ana_":               symbols,
		"Ana ~tachado~":       symbols,
		"Ana\u202eanA":        symbols,
		"Ana (amiga)":         symbols,
		"Ana--":               symbols,
		"A":                   "Escribí tu nombre (entre 2 y 120 caracteres).",
		"":                    "Escribí tu nombre (entre 2 y 120 caracteres).",
	} {
		_, msg := booking.CheckGuestName(name)
		require.Equal(t, want, msg, "%q", name)
	}
	long := ""
	for range 121 {
		long += "a"
	}
	_, msg = booking.CheckGuestName(long)
	require.Equal(t, "Escribí tu nombre (entre 2 y 120 caracteres).", msg)
	_, msg = booking.CheckGuestName("Ana \xff")
	require.Equal(t, "El nombre tiene caracteres inválidos.", msg)
}
