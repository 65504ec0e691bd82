//! Transaction executor of the Baton engine: transaction context, journal, mutation rules, invoke context
