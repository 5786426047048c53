package booking

// actionOrder is the order actions are offered in.
var actionOrder = []Action{ActionConfirm, ActionCheckIn, ActionComplete, ActionNoShow, ActionCancel}

// AllowedActions lists the moves the state machine allows from st, so a page
// offers exactly what Transition would accept.
func AllowedActions(st Status) []Action {
	var out []Action
	for _, a := range actionOrder {
		if Allows(st, a) {
			out = append(out, a)
		}
	}
	return out
}

// Allows reports whether action may be applied to a reservation in state st.
func Allows(st Status, action Action) bool {
	for _, f := range transitions[action].from {
		if f == st {
			return true
		}
	}
	return false
}

// Changeable reports whether a reservation's stay and guest count may still
// change: only before the guest arrives, while it holds its nights.
func Changeable(st Status) bool { return st == StatusPreReserved || st == StatusConfirmed }
