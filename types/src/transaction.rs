use crate::{Message, Signature};

/// A signed transaction: one signature per required signer, then the message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Transaction {
    /// Signatures, in the order of the message's signer keys.
    pub signatures: Vec<Signature>,
    /// The signed message.
    pub message: Message,
}

impl Transaction {
    /// A transaction with `message` and zeroed signatures, one per required signer.
    pub fn new_unsigned(message: Message) -> Self {
        let n = message.header.num_required_signatures as usize;
        Self {
            signatures: vec![Signature::default(); n],
            message,
        }
    }

    /// The first signature, which identifies the transaction.
    pub fn signature(&self) -> Option<&Signature> {
        self.signatures.first()
    }
}
