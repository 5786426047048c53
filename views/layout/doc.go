// Package layout is the HTML shell every page shares: Base (a plain page with
// the common stylesheet, e.g. sign-in), Admin (the dashboard's navigation,
// flash message, htmx and the CSRF token htmx sends) and Guest (the public
// pages' light frame with htmx and Open Graph tags). The feature packages of
// views wrap their content in it, so it is a package of its own that imports
// none of them.
package layout
