# Error messages: each says what happened and what to do.

error-settings-unreadable = The settings file { $path } cannot be read. Fix it or rename it: at the next start { -product } will use the default settings.
error-settings-unwritable = The settings could not be saved in { $path }. Check that the folder exists and that you can write to it, then try again.
error-data-dir-unavailable = There is no folder to keep the data in. Set the PORTA_DATA_DIR variable to a writable folder and restart { -product }.
error-unknown-locale = The language “{ $locale }” is not available. Choose Italian or English.
error-internal = Something unexpected went wrong. Try again; if it happens again, close and reopen { -product } and tell support.
error-not-found = The requested address does not exist on this server. Check the server address in the settings.
