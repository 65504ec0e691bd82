//! Legacy Solana wire format (placeholder being written).
use crate::Message;
/// Encode a message.
pub fn encode_message(_m: &Message) -> Vec<u8> { Vec::new() }
