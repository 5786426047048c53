// Package auth is the sign-in page: its view model and templ component. It is
// apart from the dashboard's views because it renders outside the admin
// layout, for a visitor who has no session yet. Views never import db, web or
// net/http; handlers in web fill the view models.
package auth
