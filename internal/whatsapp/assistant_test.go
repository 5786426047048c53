package whatsapp

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMergeRepliesKeepsOrderInOneMessage(t *testing.T) {
	got := mergeReplies([]Outgoing{{Kind: "text", Body: "Uy, alguien tomó esas noches."},
		{Kind: "list", Body: "Tenemos libre:", Rows: []Choice{{ID: "pick:1", Title: "A"}}}})
	require.Len(t, got, 1)
	require.Equal(t, "list", got[0].Kind)
	require.Equal(t, "Uy, alguien tomó esas noches.\n\nTenemos libre:", got[0].Body)

	got = mergeReplies([]Outgoing{{Kind: "text", Body: "a"}, {Kind: "text", Body: "b"}})
	require.Equal(t, []Outgoing{{Kind: "text", Body: "a\n\nb"}}, got)

	one := []Outgoing{{Kind: "buttons", Body: "x"}}
	require.Equal(t, one, mergeReplies(one))
}
