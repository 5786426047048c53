package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/ical"
	"alojamientos/views/feeds"
)

// feedList shows a property's export URLs and imported calendars with their health.
func (s *Server) feedList(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	vm, err := s.feedPage(c, p, feeds.AddForm{Interval: "10"})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, feeds.Page(vm))
}

// channelPollHint is how often each channel is known to read imported
// calendars: how long it may go on selling nights we already sold.
var channelPollHint = map[string]string{"airbnb": "hasta ~3 h", "booking": "hasta ~2 h", "vrbo": "hasta ~1 h", "other": "desconocida"}

func feedsURL(id int64, suffix string) string { return propertyURL(id, "/feeds"+suffix) }

func (s *Server) feedPage(c echo.Context, p dbq.GetAccountPropertyRow, add feeds.AddForm) (feeds.PageView, error) {
	ctx := c.Request().Context()
	q := db.Q(s.pool)
	if err := q.EnsureExportTokens(ctx, p.ID); err != nil {
		return feeds.PageView{}, fmt.Errorf("web: export tokens %d: %w", p.ID, err)
	}
	tokens, err := q.ListExportTokens(ctx, p.ID)
	if err != nil {
		return feeds.PageView{}, fmt.Errorf("web: export tokens %d: %w", p.ID, err)
	}
	rows, err := q.ListFeedsOfProperty(ctx, p.ID)
	if err != nil {
		return feeds.PageView{}, fmt.Errorf("web: feeds %d: %w", p.ID, err)
	}
	loc := s.booking.Locations.Get(p.Timezone)
	vm := feeds.PageView{Page: s.adminPage(c, "Canales · "+p.Name, "alojamientos"), PropertyName: p.Name,
		EditURL: propertyEditURL(p.ID), CalendarURL: propertyURL(p.ID, "/calendar"), IsOwner: currentUser(c).IsOwner(),
		RotateURL: feedsURL(p.ID, "/rotate")}
	if !vm.IsOwner {
		vm.EditURL = ""
	}
	vm.Exports = append(vm.Exports, feeds.ExportRow{Label: "Todos", Note: "todas las noches ocupadas",
		URL: s.config.BaseURL + "/ical/" + p.IcsToken + ".ics"})
	byChannel := map[string]string{}
	for _, t := range tokens {
		byChannel[t.Channel] = t.Token
	}
	for _, ch := range ical.ChannelOrder {
		vm.Exports = append(vm.Exports, feeds.ExportRow{Label: ical.Channels[ch], Note: "sin lo importado de " + ical.Channels[ch],
			URL: s.config.BaseURL + "/ical/" + byChannel[ch] + ".ics"})
	}
	now := s.clock.Now()
	for _, f := range rows {
		health, label := feedHealth(f, now)
		row := feeds.FeedRow{Channel: ical.Channels[f.Channel], MaskedURL: ical.MaskURL(f.Url),
			Interval: strconv.Itoa(int(f.IntervalMinutes)) + " min", LastAttempt: "nunca", LastSuccess: "nunca", Status: "—",
			Events: strconv.Itoa(int(f.Events)), Changes: strconv.Itoa(int(f.Changes)), LastError: f.LastError,
			Health: health, HealthLabel: label,
			Exposure:  "el canal: " + channelPollHint[f.Channel] + "; nosotros: " + sinceText(f.LastSuccessAt, now),
			SyncURL:   feedsURL(p.ID, "/"+strconv.FormatInt(f.ID, 10)+"/sync"),
			DeleteURL: feedsURL(p.ID, "/"+strconv.FormatInt(f.ID, 10)+"/delete")}
		if f.LastAttemptAt != nil {
			row.LastAttempt = format.DateTime(*f.LastAttemptAt, loc)
		}
		if f.LastSuccessAt != nil {
			row.LastSuccess = format.DateTime(*f.LastSuccessAt, loc)
		}
		if f.LastStatus != nil && *f.LastStatus != 0 {
			row.Status = strconv.Itoa(int(*f.LastStatus))
		}
		vm.Feeds = append(vm.Feeds, row)
	}
	var orphans []ical.Orphan
	if s.icalSync != nil {
		if orphans, err = s.icalSync.Orphans(ctx, p.ID, currentUser(c).AccountID, loc); err != nil {
			return feeds.PageView{}, err
		}
	}
	for _, o := range orphans {
		vm.Orphans = append(vm.Orphans, "del "+format.Date(o.StartsOn)+" al "+format.Date(o.EndsOn)+" ("+o.Note+")")
	}
	vm.ReleaseOrphansURL = feedsURL(p.ID, "/orphans/release")
	add.Action = feedsURL(p.ID, "")
	for _, ch := range ical.ChannelOrder {
		add.Channels = append(add.Channels, feeds.Option{Value: ch, Label: ical.Channels[ch]})
	}
	vm.Add = add
	return vm, nil
}

// feedHealth is ok below twice the interval since the last success, a
// warning up to six times or at once when the last attempt failed (or left a
// removal waiting), an error beyond (or never synced after an attempt).
func feedHealth(f dbq.ChannelFeed, now time.Time) (string, string) {
	interval := time.Duration(f.IntervalMinutes) * time.Minute
	switch {
	case f.LastSuccessAt == nil && f.LastAttemptAt == nil:
		return "warning", "Pendiente"
	case f.LastSuccessAt == nil, now.Sub(*f.LastSuccessAt) >= 6*interval:
		return "error", "Con errores"
	case f.PendingRemovalHash != "":
		return "warning", "Esperando confirmación"
	case f.LastError != "":
		return "warning", "Falló el último intento"
	case now.Sub(*f.LastSuccessAt) < 2*interval:
		return "ok", "Al día"
	}
	return "warning", "Atrasado"
}

// sinceText is "hace 5 min", "hace 3 h" or "nunca".
func sinceText(t *time.Time, now time.Time) string {
	if t == nil {
		return "sin datos todavía"
	}
	d := now.Sub(*t)
	switch {
	case d < time.Minute:
		return "hace menos de 1 min"
	case d < time.Hour:
		return fmt.Sprintf("hace %d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("hace %d h", int(d.Hours()))
	}
	return fmt.Sprintf("hace %d días", int(d.Hours()/24))
}
