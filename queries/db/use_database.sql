-- Make the attached database the default for unqualified names (per connection and cursor).
USE perfboard
