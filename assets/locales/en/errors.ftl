# Error messages: each says what happened and what to do.

error-settings-unreadable = The settings file { $path } cannot be read. Fix it or rename it: at the next start { -product } will use the default settings.
error-settings-unwritable = The settings could not be saved in { $path }. Check that the folder exists and that you can write to it, then try again.
error-data-dir-unavailable = There is no folder to keep the data in. Set the PORTA_DATA_DIR variable to a writable folder and restart { -product }.
error-unknown-locale = The language “{ $locale }” is not available. Choose Italian or English.
error-internal = Something unexpected went wrong. Try again; if it happens again, close and reopen { -product } and tell support.
error-not-found = The requested address does not exist on this server. Check the server address in the settings.
error-passphrase-too-short = The passphrase must have at least { $min } characters. Use several words: easier to remember, harder to guess.
error-passphrase-too-common = This passphrase is among the first that intruders try. Choose another, for example a few words that only you connect.
error-unknown-operator = There is no operator with this name on this computer. Check the name or ask the administrator to add you.
error-wrong-passphrase = Wrong passphrase. Attempts left before the lock: { $attempts }.
error-unlock-delayed = Too many wrong attempts in a row. Wait { $seconds } seconds and try again.
error-recovery-key-required = Too many wrong attempts: now only the recovery key printed at first setup can unlock.
error-wrong-recovery-key = This recovery key does not open the store of this computer. Check that you are using this computer's sheet.
error-recovery-key-malformed = The recovery key has 25 letters and digits in five groups. Copy it again from the recovery sheet.
error-recovery-key-mistyped = The recovery key contains a typing mistake. Check it letter by letter.
error-key-file-unusable = The key file { $path } is missing or damaged. Restore it from the backup or ask support: without it the store cannot be opened.
error-already-set-up = This computer is already set up: unlock the existing store instead of creating a new one.
error-not-set-up = There is no store on this computer yet. Run the first setup.
error-database-unusable = The encrypted store { $path } cannot be opened. Close the other { -product } windows, then try again; if it keeps happening, tell support.
error-missing-value = Fill in the field “{ $field }”: it is required.
error-login-taken = An operator of this computer already has this user name. Choose another.
error-not-permitted = Your role does not allow this. Ask an administrator.
