//! Solana's wire format for [`Message`]s and [`Transaction`]s, legacy and v0.
//!
//! The layout is the one Solana's `bincode`/`wincode` serialization produces
//! for `solana_message::VersionedMessage` and
//! `solana_transaction::versioned::VersionedTransaction` (for a legacy
//! message, also `solana_message::legacy::Message` and
//! `solana_transaction::Transaction`):
//!
//! ```text
//! message     = legacy | 0x80 ‖ legacy ‖ shortvec(lookups) ‖ lookup…   (v0)
//! legacy      = header(3 bytes) ‖ shortvec(keys) ‖ key(32)… ‖ blockhash(32)
//!               ‖ shortvec(instructions) ‖ instruction…
//! instruction = program_id_index(u8) ‖ shortvec(accounts) ‖ u8…
//!               ‖ shortvec(data) ‖ data…
//! lookup      = table key(32) ‖ shortvec(writable) ‖ u8…
//!               ‖ shortvec(readonly) ‖ u8…
//! transaction = shortvec(signatures) ‖ signature(64)… ‖ message
//! ```
//!
//! Lengths are compact-u16 ("shortvec"): 1 to 3 bytes, 7 bits per byte, low
//! bits first, the high bit of a byte saying another byte follows. Decoding is
//! strict exactly as `solana-short-vec` is: a zero continuation byte (an
//! alias of a shorter encoding), a third byte with its continuation bit set
//! and values above `u16::MAX` are all rejected.
//!
//! A message whose first byte has its high bit set is a versioned message,
//! its version in the low 7 bits: version 0 is decoded, any other is
//! [`WireError::UnsupportedVersion`].
//!
//! Decoding never panics and never allocates more than the input could
//! describe: every claimed length is checked against the bytes that remain
//! before anything is reserved. A decoded message is also sanitized
//! ([`sanitize_message`]), with the checks of Solana's `Message::sanitize`,
//! and a decoded transaction must carry exactly one signature per required
//! signer, as Agave's `VersionedTransaction::sanitize` demands.

use crate::{
    CompiledInstruction, Hash, Message, MessageAddressTableLookup, MessageHeader, MessageVersion,
    Pubkey, Signature, Transaction,
};
use crate::{InstructionError, TransactionError};

mod sanitize;

use sanitize::check_lengths;
pub use sanitize::{sanitize_message, sanitize_transaction};

/// Size of a serialized public key.
const KEY_LEN: usize = 32;
/// Size of a serialized blockhash.
const HASH_LEN: usize = 32;
/// Size of a serialized signature.
const SIG_LEN: usize = 64;
/// A compact-u16 never takes more than this many bytes.
const MAX_COMPACT_U16_LEN: usize = 3;
/// Bit set on the first byte of a versioned (non-legacy) message.
pub const MESSAGE_VERSION_PREFIX: u8 = 0x80;

/// Why bytes are not a valid message or transaction, or why a message
/// built in memory cannot be encoded or executed.
///
/// Offsets are byte positions in the input given to the decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum WireError {
    /// The input ends before `what`, which starts at `offset`, is complete.
    #[error("input ends inside {what} at byte {offset}")]
    Truncated {
        /// The item being read.
        what: &'static str,
        /// Where the item starts.
        offset: usize,
    },
    /// A compact-u16 length at `offset` is not canonical or exceeds `u16::MAX`.
    #[error("invalid compact-u16 length at byte {offset}")]
    BadShortVec {
        /// Where the length starts.
        offset: usize,
    },
    /// Bytes remain after a complete message or transaction.
    #[error("unexpected trailing bytes from byte {offset}")]
    TrailingBytes {
        /// Where the extra bytes start.
        offset: usize,
    },
    /// An instruction's program id or account index points past the keys.
    #[error(
        "instruction {instruction} refers to key {index}, but the message has {num_keys} keys"
    )]
    InstructionIndexOutOfRange {
        /// The instruction's position in the message.
        instruction: usize,
        /// The offending index.
        index: u8,
        /// How many keys the message has.
        num_keys: usize,
    },
    /// An instruction names the fee payer (key 0) as its program.
    #[error("instruction {instruction} invokes the fee payer as a program")]
    FeePayerAsProgram {
        /// The instruction's position in the message.
        instruction: usize,
    },
    /// The transaction's signature count differs from the header's.
    #[error("transaction has {signatures} signatures, its message requires {required}")]
    SignatureCountMismatch {
        /// Signatures present.
        signatures: usize,
        /// Signatures the header requires.
        required: usize,
    },
    /// The header is inconsistent with the keys: no writable signing fee
    /// payer, or the signer and read-only counts overlap or exceed the keys.
    #[error("message header is inconsistent with its account keys")]
    InvalidHeader,
    /// The message is versioned with a version other than 0.
    #[error("message version {version} is not supported (only legacy and v0)")]
    UnsupportedVersion {
        /// The version in the prefix byte's low 7 bits.
        version: u8,
    },
    /// A legacy message (built in memory) carries address table lookups,
    /// which only a v0 message can encode.
    #[error("a legacy message cannot carry address table lookups")]
    LookupsInLegacyMessage,
    /// A v0 address table lookup loads no key (Solana requires each table
    /// to load at least one).
    #[error("address table lookup {lookup} loads no keys")]
    EmptyLookup {
        /// The lookup's position in the message.
        lookup: usize,
    },
    /// A v0 message has more static and loaded keys than a u8 index reaches.
    #[error("message has {total} static and loaded keys; at most 256 are allowed")]
    TooManyAccountKeys {
        /// Static keys plus the keys the lookups load.
        total: usize,
    },
    /// A list built in memory is longer than a compact-u16 can count.
    #[error("{what} has {len} entries; at most 65535 can be encoded")]
    LengthOverflow {
        /// The list.
        what: &'static str,
        /// Its length.
        len: usize,
    },
}

impl From<WireError> for TransactionError {
    /// [`WireError::UnsupportedVersion`] maps to
    /// [`TransactionError::UnsupportedVersion`], everything else to
    /// [`TransactionError::SanitizeFailure`].
    fn from(e: WireError) -> Self {
        match e {
            WireError::UnsupportedVersion { .. } => TransactionError::UnsupportedVersion,
            _ => TransactionError::SanitizeFailure,
        }
    }
}

impl From<WireError> for InstructionError {
    /// Any wire error is [`InstructionError::InvalidInstructionData`].
    fn from(_: WireError) -> Self {
        InstructionError::InvalidInstructionData
    }
}

// ---------------------------------------------------------------------------
// compact-u16
// ---------------------------------------------------------------------------

/// Append the compact-u16 encoding of `value` to `out` (1 to 3 bytes).
pub fn encode_compact_u16(value: u16, out: &mut Vec<u8>) {
    let mut rem = value;
    loop {
        let mut byte = (rem & 0x7f) as u8;
        rem >>= 7;
        if rem == 0 {
            out.push(byte);
            return;
        }
        byte |= 0x80;
        out.push(byte);
    }
}

/// Decode a compact-u16 from the start of `bytes`: the value and how many
/// bytes it took. Strict as `solana_short_vec::decode_shortu16_len`: errors
/// carry offset 0 (relative to `bytes`). An input that ends while the
/// encoding still continues is [`WireError::Truncated`].
pub fn decode_compact_u16(bytes: &[u8]) -> Result<(u16, usize), WireError> {
    let mut value: u32 = 0;
    for nth in 0..MAX_COMPACT_U16_LEN {
        let Some(&byte) = bytes.get(nth) else {
            return Err(WireError::Truncated {
                what: "compact-u16 length",
                offset: 0,
            });
        };
        // A zero byte after the first is an alias of a shorter encoding.
        if byte == 0 && nth != 0 {
            return Err(WireError::BadShortVec { offset: 0 });
        }
        let done = byte & 0x80 == 0;
        if nth == MAX_COMPACT_U16_LEN - 1 && !done {
            return Err(WireError::BadShortVec { offset: 0 });
        }
        value |= u32::from(byte & 0x7f) << (7 * nth as u32);
        let Ok(v) = u16::try_from(value) else {
            return Err(WireError::BadShortVec { offset: 0 });
        };
        if done {
            return Ok((v, nth + 1));
        }
    }
    // Unreachable: the third byte either ends the encoding or is rejected.
    Err(WireError::BadShortVec { offset: 0 })
}

// ---------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------

/// Append a length that sanitizing has checked fits in a u16; a longer one is
/// clamped (such a message fails [`sanitize_message`], so its bytes are never
/// verified or decoded).
fn put_len(len: usize, out: &mut Vec<u8>) {
    encode_compact_u16(u16::try_from(len).unwrap_or(u16::MAX), out);
}

fn encoded_message_len(m: &Message) -> usize {
    let ixs: usize = m
        .instructions
        .iter()
        .map(|ix| 1 + MAX_COMPACT_U16_LEN * 2 + ix.accounts.len() + ix.data.len())
        .sum();
    let lookups: usize = m
        .address_table_lookups
        .iter()
        .map(|l| {
            KEY_LEN + MAX_COMPACT_U16_LEN * 2 + l.writable_indexes.len() + l.readonly_indexes.len()
        })
        .sum();
    1 + 3 + MAX_COMPACT_U16_LEN * 3 + m.account_keys.len() * KEY_LEN + HASH_LEN + ixs + lookups
}

/// Write `m`. A v0 message gets its prefix byte and its lookups; a legacy
/// one neither (lookups on a legacy message fail [`sanitize_message`] and
/// are not written).
fn write_message(m: &Message, out: &mut Vec<u8>) {
    if m.version == MessageVersion::V0 {
        out.push(MESSAGE_VERSION_PREFIX);
    }
    out.push(m.header.num_required_signatures);
    out.push(m.header.num_readonly_signed_accounts);
    out.push(m.header.num_readonly_unsigned_accounts);
    put_len(m.account_keys.len(), out);
    for k in &m.account_keys {
        out.extend_from_slice(k.as_array());
    }
    out.extend_from_slice(&m.recent_blockhash.0);
    put_len(m.instructions.len(), out);
    for ix in &m.instructions {
        out.push(ix.program_id_index);
        put_len(ix.accounts.len(), out);
        out.extend_from_slice(&ix.accounts);
        put_len(ix.data.len(), out);
        out.extend_from_slice(&ix.data);
    }
    if m.version == MessageVersion::V0 {
        put_len(m.address_table_lookups.len(), out);
        for l in &m.address_table_lookups {
            out.extend_from_slice(l.account_key.as_array());
            put_len(l.writable_indexes.len(), out);
            out.extend_from_slice(&l.writable_indexes);
            put_len(l.readonly_indexes.len(), out);
            out.extend_from_slice(&l.readonly_indexes);
        }
    }
}

/// The wire encoding of a message (legacy or v0): the bytes that signers sign.
///
/// Infallible for every message that passes [`sanitize_message`]; a list
/// longer than `u16::MAX` has its length prefix clamped (use
/// [`try_encode_message`] to get an error instead).
pub fn encode_message(m: &Message) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded_message_len(m));
    write_message(m, &mut out);
    out
}

/// Like [`encode_message`], but a list longer than a compact-u16 can count
/// is a [`WireError::LengthOverflow`].
pub fn try_encode_message(m: &Message) -> Result<Vec<u8>, WireError> {
    check_lengths(m)?;
    Ok(encode_message(m))
}

/// The wire encoding of a transaction: its signatures, then its message.
///
/// See [`encode_message`] for lists longer than `u16::MAX`.
pub fn encode_transaction(tx: &Transaction) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        MAX_COMPACT_U16_LEN + tx.signatures.len() * SIG_LEN + encoded_message_len(&tx.message),
    );
    put_len(tx.signatures.len(), &mut out);
    for s in &tx.signatures {
        out.extend_from_slice(&s.0);
    }
    write_message(&tx.message, &mut out);
    out
}

/// Like [`encode_transaction`], but a list longer than a compact-u16 can
/// count is a [`WireError::LengthOverflow`].
pub fn try_encode_transaction(tx: &Transaction) -> Result<Vec<u8>, WireError> {
    if tx.signatures.len() > usize::from(u16::MAX) {
        return Err(WireError::LengthOverflow {
            what: "signatures",
            len: tx.signatures.len(),
        });
    }
    check_lengths(&tx.message)?;
    Ok(encode_transaction(tx))
}

// ---------------------------------------------------------------------------
// decoding
// ---------------------------------------------------------------------------

/// A cursor over the input; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], WireError> {
        let start = self.pos;
        let end = start.checked_add(n).ok_or(WireError::Truncated {
            what,
            offset: start,
        })?;
        let s = self.bytes.get(start..end).ok_or(WireError::Truncated {
            what,
            offset: start,
        })?;
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, WireError> {
        let b = *self.bytes.get(self.pos).ok_or(WireError::Truncated {
            what,
            offset: self.pos,
        })?;
        self.pos += 1;
        Ok(b)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], WireError> {
        let start = self.pos;
        let s = self.take(N, what)?;
        s.try_into().map_err(|_| WireError::Truncated {
            what,
            offset: start,
        })
    }

    fn len(&mut self, what: &'static str) -> Result<usize, WireError> {
        let start = self.pos;
        let rest = self.bytes.get(start..).unwrap_or_default();
        let (v, n) = decode_compact_u16(rest).map_err(|e| match e {
            WireError::Truncated { .. } => WireError::Truncated {
                what,
                offset: start,
            },
            _ => WireError::BadShortVec { offset: start },
        })?;
        self.pos += n;
        Ok(usize::from(v))
    }

    /// A length of items `item_size` bytes each, checked against what remains
    /// so that nothing is reserved for items the input cannot hold.
    fn counted_len(
        &mut self,
        what: &'static str,
        item: &'static str,
        item_size: usize,
    ) -> Result<usize, WireError> {
        let n = self.len(what)?;
        if n.saturating_mul(item_size) > self.remaining() {
            // Point at the first item that does not fit.
            let fits = self.remaining() / item_size.max(1);
            return Err(WireError::Truncated {
                what: item,
                offset: self.pos + fits * item_size,
            });
        }
        Ok(n)
    }

    fn finish(&self) -> Result<(), WireError> {
        if self.pos < self.bytes.len() {
            Err(WireError::TrailingBytes { offset: self.pos })
        } else {
            Ok(())
        }
    }
}

fn read_message(r: &mut Reader<'_>) -> Result<Message, WireError> {
    let mut first = r.u8("message header")?;
    let version = if first & MESSAGE_VERSION_PREFIX != 0 {
        let version = first & !MESSAGE_VERSION_PREFIX;
        if version != 0 {
            return Err(WireError::UnsupportedVersion { version });
        }
        first = r.u8("message header")?;
        MessageVersion::V0
    } else {
        MessageVersion::Legacy
    };
    let header = MessageHeader {
        num_required_signatures: first,
        num_readonly_signed_accounts: r.u8("message header")?,
        num_readonly_unsigned_accounts: r.u8("message header")?,
    };
    let num_keys = r.counted_len("account keys length", "account key", KEY_LEN)?;
    let mut account_keys = Vec::with_capacity(num_keys);
    for _ in 0..num_keys {
        account_keys.push(Pubkey(r.array::<KEY_LEN>("account key")?));
    }
    let recent_blockhash = Hash(r.array::<HASH_LEN>("recent blockhash")?);
    // An instruction takes at least 3 bytes (index and two empty lengths).
    let num_ixs = r.counted_len("instructions length", "instruction", 3)?;
    let mut instructions = Vec::with_capacity(num_ixs);
    for _ in 0..num_ixs {
        let program_id_index = r.u8("program id index")?;
        let n = r.len("instruction accounts length")?;
        let accounts = r.take(n, "instruction accounts")?.to_vec();
        let n = r.len("instruction data length")?;
        let data = r.take(n, "instruction data")?.to_vec();
        instructions.push(CompiledInstruction {
            program_id_index,
            accounts,
            data,
        });
    }
    let mut address_table_lookups = Vec::new();
    if version == MessageVersion::V0 {
        // A lookup takes at least 34 bytes (a key and two empty lengths).
        let n = r.counted_len("lookups length", "address table lookup", KEY_LEN + 2)?;
        address_table_lookups.reserve_exact(n);
        for _ in 0..n {
            let account_key = Pubkey(r.array::<KEY_LEN>("lookup table key")?);
            let len = r.len("writable indexes length")?;
            let writable_indexes = r.take(len, "writable indexes")?.to_vec();
            let len = r.len("readonly indexes length")?;
            let readonly_indexes = r.take(len, "readonly indexes")?.to_vec();
            address_table_lookups.push(MessageAddressTableLookup {
                account_key,
                writable_indexes,
                readonly_indexes,
            });
        }
    }
    Ok(Message {
        header,
        account_keys,
        recent_blockhash,
        instructions,
        version,
        address_table_lookups,
    })
}

/// Decode a message (legacy or v0), which must fill `bytes` exactly, and
/// sanitize it.
pub fn decode_message(bytes: &[u8]) -> Result<Message, WireError> {
    let mut r = Reader { bytes, pos: 0 };
    let m = read_message(&mut r)?;
    r.finish()?;
    sanitize_message(&m)?;
    Ok(m)
}

/// Decode a transaction (legacy or v0), which must fill `bytes` exactly, and
/// sanitize it: one signature per required signer, and a sane message.
/// Signatures are not verified (see [`crate::signing::verify_transaction`]).
pub fn decode_transaction(bytes: &[u8]) -> Result<Transaction, WireError> {
    let mut r = Reader { bytes, pos: 0 };
    let n = r.counted_len("signatures length", "signature", SIG_LEN)?;
    let mut signatures = Vec::with_capacity(n);
    for _ in 0..n {
        signatures.push(Signature(r.array::<SIG_LEN>("signature")?));
    }
    let message = read_message(&mut r)?;
    r.finish()?;
    let tx = Transaction {
        signatures,
        message,
    };
    sanitize_transaction(&tx)?;
    Ok(tx)
}

impl Message {
    /// Decode and sanitize a message (legacy or v0); see [`decode_message`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        decode_message(bytes)
    }

    /// Check the message; see [`sanitize_message`].
    pub fn sanitize(&self) -> Result<(), WireError> {
        sanitize_message(self)
    }
}

impl Transaction {
    /// The wire encoding; see [`encode_transaction`].
    pub fn to_bytes(&self) -> Vec<u8> {
        encode_transaction(self)
    }

    /// Decode and sanitize a transaction (legacy or v0); see [`decode_transaction`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        decode_transaction(bytes)
    }

    /// Check the transaction; see [`sanitize_transaction`].
    pub fn sanitize(&self) -> Result<(), WireError> {
        sanitize_transaction(self)
    }
}

#[cfg(test)]
mod tests;
