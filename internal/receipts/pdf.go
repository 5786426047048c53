package receipts

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
)

// activeNames are the PDF names that mean code, launched programs, attached
// files, multimedia, XML forms or encryption: a receipt has no use for any.
// /OpenAction alone (open at a page) is harmless; one that runs JavaScript
// names /JS or /JavaScript, which are refused wherever they appear.
var activeNames = map[string]bool{
	"JavaScript": true, "JS": true, "Launch": true, "EmbeddedFile": true, "EmbeddedFiles": true,
	"RichMedia": true, "XFA": true, "Encrypt": true,
}

// maxInflated bounds the bytes decompressed while looking into a PDF's
// streams; a file that inflates beyond it is refused (a zip bomb).
const maxInflated = 64 << 20

// cleanPDF checks a PDF and returns a copy with its metadata blanked.
func cleanPDF(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data, []byte("%%EOF")) {
		return nil, ErrType
	}
	if hasActiveName(data) {
		return nil, ErrActive
	}
	active, err := activeInStreams(data)
	if err != nil || active {
		return nil, ErrActive
	}
	out := bytes.Clone(data)
	blankMetadata(out)
	return out, nil
}

// isDelimiter reports PDF white space and delimiters, which end a name.
func isDelimiter(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// hasActiveName scans b for a name token in activeNames, decoding #xx
// escapes (/J#61vaScript is /JavaScript).
func hasActiveName(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '/' {
			continue
		}
		j := i + 1
		for j < len(b) && !isDelimiter(b[j]) {
			j++
		}
		if activeNames[decodeName(b[i+1:j])] {
			return true
		}
		i = j - 1
	}
	return false
}

func decodeName(n []byte) string {
	if bytes.IndexByte(n, '#') < 0 {
		return string(n)
	}
	out := make([]byte, 0, len(n))
	for i := 0; i < len(n); i++ {
		if n[i] == '#' && i+2 < len(n) {
			if v, err := strconv.ParseUint(string(n[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, n[i])
	}
	return string(out)
}

var streamRe = regexp.MustCompile(`stream\r?\n`)

// activeInStreams inflates every stream that zlib can read (FlateDecode:
// object streams hide dictionaries there) and scans what comes out. More
// than maxInflated in all is an error.
func activeInStreams(b []byte) (bool, error) {
	budget := int64(maxInflated)
	for _, loc := range streamRe.FindAllIndex(b, -1) {
		if loc[0] >= 3 && string(b[loc[0]-3:loc[0]]) == "end" {
			continue
		}
		start := loc[1]
		end := bytes.Index(b[start:], []byte("endstream"))
		if end < 0 {
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(b[start : start+end]))
		if err != nil {
			continue // not Flate (an image, or stored plain): the raw scan saw it
		}
		inflated, err := io.ReadAll(io.LimitReader(zr, budget+1))
		if int64(len(inflated)) > budget {
			return false, ErrActive
		}
		budget -= int64(len(inflated))
		_ = err // a truncated stream still shows what it inflated to
		if hasActiveName(inflated) {
			return true, nil
		}
	}
	return false, nil
}

var (
	infoRefRe     = regexp.MustCompile(`/Info\s+(\d+)\s+(\d+)\s+R`)
	metadataRefRe = regexp.MustCompile(`/Metadata\s+(\d+)\s+(\d+)\s+R`)
)

// blankMetadata overwrites, in place, the /Info and /Metadata references
// with spaces, then the Info dictionaries' contents and the XMP streams'
// bytes they pointed at: the length and every offset stay the same.
func blankMetadata(b []byte) {
	for _, m := range infoRefRe.FindAllSubmatchIndex(b, -1) {
		obj := string(b[m[2]:m[3]]) + " " + string(b[m[4]:m[5]])
		blank(b[m[0]:m[1]])
		blankObject(b, obj, false)
	}
	for _, m := range metadataRefRe.FindAllSubmatchIndex(b, -1) {
		obj := string(b[m[2]:m[3]]) + " " + string(b[m[4]:m[5]])
		blank(b[m[0]:m[1]])
		blankObject(b, obj, true)
	}
}

func blank(b []byte) {
	for i := range b {
		b[i] = ' '
	}
}

// blankObject finds "num gen obj" in b and blanks its body: a stream's
// bytes when stream is set, otherwise everything inside its outermost
// << >>, which becomes an empty dictionary.
func blankObject(b []byte, numGen string, stream bool) {
	re := regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(numGen) + `\s+obj\b`)
	loc := re.FindIndex(b)
	if loc == nil {
		return
	}
	body := b[loc[1]:]
	end := bytes.Index(body, []byte("endobj"))
	if end < 0 {
		return
	}
	body = body[:end]
	if stream {
		s := streamRe.FindIndex(body)
		e := bytes.LastIndex(body, []byte("endstream"))
		if s != nil && e > s[1] {
			blank(body[s[1]:e])
		}
		return
	}
	if bytes.Contains(body, []byte("stream")) {
		return
	}
	open, close := bytes.Index(body, []byte("<<")), bytes.LastIndex(body, []byte(">>"))
	if open >= 0 && close > open+2 {
		blank(body[open+2 : close])
	}
}
