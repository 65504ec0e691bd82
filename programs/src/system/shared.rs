//! Checks and moves shared by several system instructions, each the
//! counterpart of a helper in Agave's `system_processor.rs`, with its order
//! of checks and its errors.

use baton_executor::{BorrowedAccount, InvokeContext};
use baton_types::{ids, pda, Hash, InstructionError, Pubkey, MAX_PERMITTED_DATA_LENGTH};

use super::error::SystemError;

/// An address that may have been derived from a base and a seed; with a
/// base, the base must sign instead of the address. Its `Debug` form is
/// Agave's (`Address { address: …, base: None }`), which the logs print.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Address {
    address: Pubkey,
    base: Option<Pubkey>,
}

impl Address {
    /// The address, re-derived from `(base, seed, owner)` when given: a
    /// failed derivation is a raw custom code ([`derive_with_seed`]), a
    /// different address `AddressWithSeedMismatch`.
    pub(crate) fn create(
        ctx: &InvokeContext<'_>,
        address: &Pubkey,
        with_seed: Option<(&Pubkey, &str, &Pubkey)>,
    ) -> Result<Self, InstructionError> {
        let base = match with_seed {
            Some((base, seed, owner)) => {
                let derived = derive_with_seed(base, seed, owner)?;
                if *address != derived {
                    ic_msg!(
                        ctx,
                        "Create: address {} does not match derived address {}",
                        address,
                        derived
                    );
                    return Err(SystemError::AddressWithSeedMismatch.into());
                }
                Some(*base)
            }
            None => None,
        };
        Ok(Self {
            address: *address,
            base,
        })
    }

    /// Whether the address (or its base) signed this instruction.
    fn is_signer(&self, ctx: &InvokeContext<'_>) -> Result<bool, InstructionError> {
        is_signer_key(ctx, self.base.as_ref().unwrap_or(&self.address))
    }
}

/// `create_with_seed` as the system program's `*WithSeed` instructions
/// report its failure (semantics.md §0, §5): as `Custom(n)` with `n` the
/// `PubkeyError` discriminant — 0 a seed over 32 bytes, 1 invalid seeds,
/// 2 an owner ending in the PDA marker — not as the named
/// `InstructionError`. Agave keeps this (self-described incorrect) mapping at
/// these call sites only.
pub(crate) fn derive_with_seed(
    base: &Pubkey,
    seed: &str,
    owner: &Pubkey,
) -> Result<Pubkey, InstructionError> {
    pda::create_with_seed(base, seed, owner).map_err(|e| {
        InstructionError::Custom(match e {
            pda::PdaError::MaxSeedLengthExceeded => 0,
            pda::PdaError::InvalidSeeds => 1,
            pda::PdaError::IllegalOwner => 2,
        })
    })
}

/// Whether `key` is among the signers of the running instruction (Agave's
/// `get_signers().contains(key)`).
pub(crate) fn is_signer_key(
    ctx: &InvokeContext<'_>,
    key: &Pubkey,
) -> Result<bool, InstructionError> {
    for i in 0..ctx.instruction_account_count() {
        if ctx.instruction_account(i)?.is_signer && ctx.instruction_account_key(i)? == key {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `MissingAccount` unless the instruction has at least `n` accounts
/// (Agave 4.x; semantics.md §0).
pub(crate) fn check_number_of_instruction_accounts(
    ctx: &InvokeContext<'_>,
    n: usize,
) -> Result<(), InstructionError> {
    if ctx.instruction_account_count() < n {
        return Err(InstructionError::MissingAccount);
    }
    Ok(())
}

/// Agave's `get_sysvar_with_account_check`: account `index` must exist
/// (`MissingAccount`) and be the sysvar `id` (`InvalidArgument`).
pub(crate) fn check_sysvar_account(
    ctx: &InvokeContext<'_>,
    index: usize,
    id: &Pubkey,
) -> Result<(), InstructionError> {
    if ctx.instruction_account_key(index)? != id {
        return Err(InstructionError::InvalidArgument);
    }
    Ok(())
}

/// The blockhash a nonce instruction stores, and its fee rate: the newest
/// entry of the RecentBlockhashes sysvar (Agave's environment blockhash,
/// the bank's last blockhash). An empty sysvar gives the zero hash and rate
/// 0; only `WithdrawNonceAccount` can get that far without entries.
pub(crate) fn current_blockhash(ctx: &InvokeContext<'_>) -> (Hash, u64) {
    match ctx.recent_blockhashes().0.first() {
        Some(e) => (e.blockhash, e.fee_calculator.lamports_per_signature),
        None => (Hash::default(), 0),
    }
}

/// Give a new account `space` zeroed bytes: the address must sign, the
/// account must be an unused system account, `space` at most 10 MiB.
pub(crate) fn allocate(
    ctx: &InvokeContext<'_>,
    account: &mut BorrowedAccount<'_>,
    address: &Address,
    space: u64,
) -> Result<(), InstructionError> {
    if !address.is_signer(ctx)? {
        ic_msg!(ctx, "Allocate: 'to' account {:?} must sign", address);
        return Err(InstructionError::MissingRequiredSignature);
    }
    // An account with data or another owner is in use.
    if !account.data().is_empty() || *account.owner() != ids::SYSTEM_PROGRAM {
        ic_msg!(ctx, "Allocate: account {:?} already in use", address);
        return Err(SystemError::AccountAlreadyInUse.into());
    }
    if space > MAX_PERMITTED_DATA_LENGTH as u64 {
        ic_msg!(
            ctx,
            "Allocate: requested {}, max allowed {}",
            space,
            MAX_PERMITTED_DATA_LENGTH
        );
        return Err(SystemError::InvalidAccountDataLength.into());
    }
    // `space` fits in usize: it is at most 10 MiB.
    account.set_data_length(space as usize)
}

/// Hand the account to `owner`: nothing to do if it already has that owner;
/// otherwise the address must sign, and the executor's owner rule applies.
pub(crate) fn assign(
    ctx: &InvokeContext<'_>,
    account: &mut BorrowedAccount<'_>,
    address: &Address,
    owner: &Pubkey,
) -> Result<(), InstructionError> {
    if account.owner() == owner {
        return Ok(());
    }
    if !address.is_signer(ctx)? {
        ic_msg!(ctx, "Assign: account {:?} must sign", address);
        return Err(InstructionError::MissingRequiredSignature);
    }
    account.set_owner(owner)
}

/// [`allocate`] then [`assign`].
pub(crate) fn allocate_and_assign(
    ctx: &InvokeContext<'_>,
    account: &mut BorrowedAccount<'_>,
    address: &Address,
    space: u64,
    owner: &Pubkey,
) -> Result<(), InstructionError> {
    allocate(ctx, account, address, space)?;
    assign(ctx, account, address, owner)
}

/// Create account `to` (instruction index): it must hold no lamports, then
/// allocate and assign it, then fund it from `from`.
pub(crate) fn create_account(
    ctx: &InvokeContext<'_>,
    from: usize,
    to: usize,
    to_address: &Address,
    lamports: u64,
    space: u64,
    owner: &Pubkey,
) -> Result<(), InstructionError> {
    {
        let mut to_account = ctx.borrow_instruction_account(to)?;
        if to_account.lamports() > 0 {
            ic_msg!(
                ctx,
                "Create Account: account {:?} already in use",
                to_address
            );
            return Err(SystemError::AccountAlreadyInUse.into());
        }
        allocate_and_assign(ctx, &mut to_account, to_address, space, owner)?;
    }
    transfer(ctx, from, to, lamports)
}

/// Move `lamports` from `from` to `to` (instruction indices) once the
/// authority is settled: `from` must carry no data and hold enough. `from`
/// is released before `to` is borrowed, so `from == to` works.
pub(crate) fn transfer_verified(
    ctx: &InvokeContext<'_>,
    from: usize,
    to: usize,
    lamports: u64,
) -> Result<(), InstructionError> {
    let mut from_account = ctx.borrow_instruction_account(from)?;
    if !from_account.data().is_empty() {
        ic_msg!(ctx, "Transfer: `from` must not carry data");
        return Err(InstructionError::InvalidArgument);
    }
    if lamports > from_account.lamports() {
        ic_msg!(
            ctx,
            "Transfer: insufficient lamports {}, need {}",
            from_account.lamports(),
            lamports
        );
        return Err(SystemError::ResultWithNegativeLamports.into());
    }
    from_account.checked_sub_lamports(lamports)?;
    drop(from_account);
    let mut to_account = ctx.borrow_instruction_account(to)?;
    to_account.checked_add_lamports(lamports)
}

/// [`transfer_verified`] after checking that `from` signed.
pub(crate) fn transfer(
    ctx: &InvokeContext<'_>,
    from: usize,
    to: usize,
    lamports: u64,
) -> Result<(), InstructionError> {
    if !ctx.instruction_account(from)?.is_signer {
        ic_msg!(
            ctx,
            "Transfer: `from` account {} must sign",
            ctx.instruction_account_key(from)?
        );
        return Err(InstructionError::MissingRequiredSignature);
    }
    transfer_verified(ctx, from, to, lamports)
}
