package password

// Hooks for the black-box tests in package password_test.

// IsCommon reports whether plain, lowercased, is on the common-password list.
func IsCommon(plain string) bool { return isCommon(plain) }

// CommonPasswords returns the embedded list as loaded.
func CommonPasswords() map[string]struct{} { return commonPasswords() }

// TakeAllSlots occupies every hashing slot, as a burst of logins would, and
// returns the function that frees them.
func TakeAllSlots() (free func()) {
	for range cap(slots) {
		slots <- struct{}{}
	}
	return func() {
		for range cap(slots) {
			<-slots
		}
	}
}
