//! A message with the keys its address table lookups loaded: what the
//! engine executes (Agave's `LoadedMessage`).

use crate::{ids, Message, Pubkey};

/// The keys a v0 message's address table lookups resolved to: every
/// table's writable entries (tables in message order), then every table's
/// read-only entries. Empty for a legacy message or a v0 one without
/// lookups.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LoadedAddresses {
    /// Keys loaded as writable (before demotion, as for static keys).
    pub writable: Vec<Pubkey>,
    /// Keys loaded as read-only.
    pub readonly: Vec<Pubkey>,
}

impl LoadedAddresses {
    /// How many keys were loaded.
    pub fn len(&self) -> usize {
        self.writable.len() + self.readonly.len()
    }

    /// Whether no key was loaded.
    pub fn is_empty(&self) -> bool {
        self.writable.is_empty() && self.readonly.is_empty()
    }
}

/// No loaded keys, for messages without lookups.
static NONE_LOADED: LoadedAddresses = LoadedAddresses {
    writable: Vec::new(),
    readonly: Vec::new(),
};

/// A message and its loaded keys, indexed as one list: the static keys,
/// then the loaded writable ones, then the loaded read-only ones — the
/// indexes its instructions use.
#[derive(Debug, Clone, Copy)]
pub struct LoadedMessage<'a> {
    /// The message as signed.
    pub message: &'a Message,
    /// The keys its lookups loaded.
    pub loaded: &'a LoadedAddresses,
}

impl<'a> LoadedMessage<'a> {
    /// `message` with its lookups resolved to `loaded`.
    pub fn new(message: &'a Message, loaded: &'a LoadedAddresses) -> Self {
        Self { message, loaded }
    }

    /// A message without loaded keys (legacy, or v0 without lookups).
    pub fn legacy(message: &'a Message) -> Self {
        Self {
            message,
            loaded: &NONE_LOADED,
        }
    }

    /// Every key: static, loaded writable, loaded read-only.
    pub fn len(&self) -> usize {
        self.message.account_keys.len() + self.loaded.len()
    }

    /// Whether the message has no keys at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Key `i` of the combined list.
    #[inline]
    pub fn key(&self, i: usize) -> Option<&'a Pubkey> {
        let statics = &self.message.account_keys;
        if let Some(k) = statics.get(i) {
            return Some(k);
        }
        let i = i - statics.len();
        match self.loaded.writable.get(i) {
            Some(k) => Some(k),
            None => self.loaded.readonly.get(i - self.loaded.writable.len()),
        }
    }

    /// Every key in order.
    pub fn keys(&self) -> impl Iterator<Item = &'a Pubkey> + 'a {
        let loaded = self.loaded;
        self.message
            .account_keys
            .iter()
            .chain(loaded.writable.iter())
            .chain(loaded.readonly.iter())
    }

    /// Whether key `i` must sign (loaded keys never sign).
    #[inline]
    pub fn is_signer(&self, i: usize) -> bool {
        self.message.is_signer(i)
    }

    /// Whether the header or the lookup places key `i` among the writable
    /// keys, before demotion.
    #[inline]
    pub fn is_writable_index(&self, i: usize) -> bool {
        let n = self.message.account_keys.len();
        if i < n {
            self.message.is_writable_index(i)
        } else {
            i - n < self.loaded.writable.len()
        }
    }

    /// Top-level writability (§1.1): writable by position, but never a
    /// program id that an instruction invokes nor a reserved id.
    #[inline]
    pub fn is_writable(&self, i: usize) -> bool {
        if self.loaded.is_empty() {
            return self.message.is_writable(i);
        }
        self.is_writable_index(i)
            && !self.message.is_invoked(i)
            && self.key(i).is_some_and(|k| !ids::is_reserved(k))
    }
}
