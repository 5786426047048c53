package assistant

import (
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/whatsapp/cloudapi"
)

func TestMergeRepliesKeepsOrderInOneMessage(t *testing.T) {
	got := mergeReplies([]cloudapi.Outgoing{{Kind: "text", Body: "Uy, alguien tomó esas noches."},
		{Kind: "list", Body: "Tenemos libre:", Rows: []cloudapi.Choice{{ID: "pick:1", Title: "A"}}}})
	require.Len(t, got, 1)
	require.Equal(t, "list", got[0].Kind)
	require.Equal(t, "Uy, alguien tomó esas noches.\n\nTenemos libre:", got[0].Body)

	got = mergeReplies([]cloudapi.Outgoing{{Kind: "text", Body: "a"}, {Kind: "text", Body: "b"}})
	require.Equal(t, []cloudapi.Outgoing{{Kind: "text", Body: "a\n\nb"}}, got)

	one := []cloudapi.Outgoing{{Kind: "buttons", Body: "x"}}
	require.Equal(t, one, mergeReplies(one))
}
