//! Account metas, instructions and compiled instructions: field for field.

use super::{by_value, FromBaton, FromSolana, IntoBaton, IntoSolana};
use crate::{AccountMeta, CompiledInstruction, Instruction};

impl FromSolana<&solana_instruction::AccountMeta> for AccountMeta {
    fn from_solana(value: &solana_instruction::AccountMeta) -> Self {
        AccountMeta {
            pubkey: value.pubkey.into_baton(),
            is_signer: value.is_signer,
            is_writable: value.is_writable,
        }
    }
}

impl FromBaton<&AccountMeta> for solana_instruction::AccountMeta {
    fn from_baton(value: &AccountMeta) -> Self {
        solana_instruction::AccountMeta {
            pubkey: value.pubkey.into_solana(),
            is_signer: value.is_signer,
            is_writable: value.is_writable,
        }
    }
}

impl FromSolana<&solana_instruction::Instruction> for Instruction {
    fn from_solana(value: &solana_instruction::Instruction) -> Self {
        Instruction {
            program_id: value.program_id.into_baton(),
            accounts: value.accounts.iter().map(IntoBaton::into_baton).collect(),
            data: value.data.clone(),
        }
    }
}

impl FromBaton<&Instruction> for solana_instruction::Instruction {
    fn from_baton(value: &Instruction) -> Self {
        solana_instruction::Instruction {
            program_id: value.program_id.into_solana(),
            accounts: value.accounts.iter().map(IntoSolana::into_solana).collect(),
            data: value.data.clone(),
        }
    }
}

impl FromSolana<&solana_message::compiled_instruction::CompiledInstruction>
    for CompiledInstruction
{
    fn from_solana(value: &solana_message::compiled_instruction::CompiledInstruction) -> Self {
        CompiledInstruction {
            program_id_index: value.program_id_index,
            accounts: value.accounts.clone(),
            data: value.data.clone(),
        }
    }
}

impl FromBaton<&CompiledInstruction> for solana_message::compiled_instruction::CompiledInstruction {
    fn from_baton(value: &CompiledInstruction) -> Self {
        solana_message::compiled_instruction::CompiledInstruction {
            program_id_index: value.program_id_index,
            accounts: value.accounts.clone(),
            data: value.data.clone(),
        }
    }
}

by_value!(FromSolana, from_solana:
    solana_instruction::AccountMeta => AccountMeta,
    solana_instruction::Instruction => Instruction,
    solana_message::compiled_instruction::CompiledInstruction => CompiledInstruction,
);
by_value!(FromBaton, from_baton:
    AccountMeta => solana_instruction::AccountMeta,
    Instruction => solana_instruction::Instruction,
    CompiledInstruction => solana_message::compiled_instruction::CompiledInstruction,
);
