"""The complete set of statements (SPEC 19): flows of every balance-sheet
key, and the statements built on them (changes in equity, cash flows,
comprehensive income), as data and queries for the CLI and the reports."""
