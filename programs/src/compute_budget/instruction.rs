//! The compute-budget instructions' data (Borsh, as
//! `solana-compute-budget-interface`): a tag byte, then the value in little
//! endian; and builders for client instructions.

use baton_types::Instruction;

use super::{
    RequestHeapFrame, SetComputeUnitLimit, SetComputeUnitPrice, SetLoadedAccountsDataSizeLimit, ID,
};

/// A decoded compute-budget instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComputeBudgetInstruction {
    /// Tag 1: the heap size sBPF programs get.
    RequestHeapFrame(RequestHeapFrame),
    /// Tag 2: the transaction's compute unit limit.
    SetComputeUnitLimit(SetComputeUnitLimit),
    /// Tag 3: the price of a unit, in micro-lamports.
    SetComputeUnitPrice(SetComputeUnitPrice),
    /// Tag 4: the most account data bytes the transaction may load.
    SetLoadedAccountsDataSizeLimit(SetLoadedAccountsDataSizeLimit),
}

fn le<const N: usize>(data: &[u8]) -> Option<[u8; N]> {
    data.get(1..1 + N)?.try_into().ok()
}

impl ComputeBudgetInstruction {
    /// Decode `data` as Agave does (`try_from_slice_unchecked`: bytes after
    /// the value are ignored). `None`: an unknown tag, the deprecated tag 0,
    /// or a value cut short — Agave's `InvalidInstructionData`.
    pub fn decode(data: &[u8]) -> Option<Self> {
        Some(match *data.first()? {
            1 => Self::RequestHeapFrame(RequestHeapFrame {
                bytes: u32::from_le_bytes(le(data)?),
            }),
            2 => Self::SetComputeUnitLimit(SetComputeUnitLimit {
                units: u32::from_le_bytes(le(data)?),
            }),
            3 => Self::SetComputeUnitPrice(SetComputeUnitPrice {
                micro_lamports: u64::from_le_bytes(le(data)?),
            }),
            4 => Self::SetLoadedAccountsDataSizeLimit(SetLoadedAccountsDataSizeLimit {
                bytes: u32::from_le_bytes(le(data)?),
            }),
            _ => return None,
        })
    }

    /// The instruction's data bytes.
    pub fn encode(&self) -> Vec<u8> {
        let (tag, value): (u8, &[u8]) = match self {
            Self::RequestHeapFrame(ix) => (1, &ix.bytes.to_le_bytes()),
            Self::SetComputeUnitLimit(ix) => (2, &ix.units.to_le_bytes()),
            Self::SetComputeUnitPrice(ix) => (3, &ix.micro_lamports.to_le_bytes()),
            Self::SetLoadedAccountsDataSizeLimit(ix) => (4, &ix.bytes.to_le_bytes()),
        };
        let mut out = Vec::with_capacity(1 + value.len());
        out.push(tag);
        out.extend_from_slice(value);
        out
    }

    /// The instruction for the compute-budget program, without accounts.
    pub fn instruction(&self) -> Instruction {
        Instruction::new_with_bytes(ID, &self.encode(), Vec::new())
    }
}

/// `RequestHeapFrame(bytes)`, as `solana-compute-budget-interface` builds it.
pub fn request_heap_frame(bytes: u32) -> Instruction {
    ComputeBudgetInstruction::RequestHeapFrame(RequestHeapFrame { bytes }).instruction()
}

/// `SetComputeUnitLimit(units)`.
pub fn set_compute_unit_limit(units: u32) -> Instruction {
    ComputeBudgetInstruction::SetComputeUnitLimit(SetComputeUnitLimit { units }).instruction()
}

/// `SetComputeUnitPrice(micro_lamports)`.
pub fn set_compute_unit_price(micro_lamports: u64) -> Instruction {
    ComputeBudgetInstruction::SetComputeUnitPrice(SetComputeUnitPrice { micro_lamports })
        .instruction()
}

/// `SetLoadedAccountsDataSizeLimit(bytes)`.
pub fn set_loaded_accounts_data_size_limit(bytes: u32) -> Instruction {
    ComputeBudgetInstruction::SetLoadedAccountsDataSizeLimit(SetLoadedAccountsDataSizeLimit {
        bytes,
    })
    .instruction()
}
