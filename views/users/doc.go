// Package users is the dashboard's users pages: the owner's list of users with
// invitations, roles and removal, and every user's own account page (Mi
// cuenta) with the password change. A package per dashboard feature keeps each
// screen's view models and components together; the handlers in web fill them.
package users
