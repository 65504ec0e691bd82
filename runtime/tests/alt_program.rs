//! The Address Lookup Table program, a Core BPF program every runtime has
//! at genesis (the ELF Agave 4.2 runs, compiled on first use): a table's
//! life (create, extend, deactivate, the cool-down through SlotHashes,
//! close), freezing, the errors, and 1 and 2 threads agreeing.
//!
//! The compute units asserted are Baton's for these exact transactions
//! (they depend on the slots and SlotHashes: the program binary-searches
//! it). The program's behaviour, units and logs are checked against
//! LiteSVM 0.16.0 (Agave 4.2.2) by the replay of
//! `conformance/fixtures/litesvm-alt.json` in `tests/conformance_litesvm.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton::sbpf::deploy::{programdata_address, BPF_LOADER_UPGRADEABLE};
use baton::sdk::address_lookup_table as alt;
use baton::sysvar::{SlotHashes, SYSVAR_SLOT_HASHES};
use baton::{
    Instruction, InstructionError, Keypair, Pubkey, Runtime, Transaction, TransactionError,
    TransactionResult,
};

const ALT: &str = "AddressLookupTab1e1111111111111111111111111";
const SYSTEM: &str = "11111111111111111111111111111111";

fn send(
    rt: &mut Runtime,
    payer: &Keypair,
    signers: &[&Keypair],
    ix: Instruction,
) -> TransactionResult {
    let mut all = vec![payer];
    all.extend_from_slice(signers);
    let tx = Transaction::new_signed_with_payer(
        &[ix],
        Some(&payer.pubkey()),
        &all,
        rt.latest_blockhash(),
    )
    .unwrap();
    rt.send_transaction(tx)
}

/// The frame lines of a top-level ALT instruction around `inner`.
fn alt_logs(inner: &[&str], units: u64, end: &str) -> Vec<String> {
    let mut v = vec![format!("Program {ALT} invoke [1]")];
    v.extend(inner.iter().map(|s| s.to_string()));
    v.push(format!(
        "Program {ALT} consumed {units} of 200000 compute units"
    ));
    v.push(format!("Program {ALT} {end}"));
    v
}

fn system_cpi(times: usize) -> Vec<String> {
    (0..times)
        .flat_map(|_| {
            [
                format!("Program {SYSTEM} invoke [2]"),
                format!("Program {SYSTEM} success"),
            ]
        })
        .collect()
}

fn failed(e: InstructionError) -> Result<(), TransactionError> {
    Err(TransactionError::InstructionError(0, e))
}

struct World {
    rt: Runtime,
    payer: Keypair,
    authority: Keypair,
}

/// A runtime at slot 10 (SlotHashes lists slots 9 down to 0), a funded payer
/// and an authority.
fn world() -> World {
    let mut rt = Runtime::new();
    let payer = Keypair::from_seed(&[1; 32]);
    let authority = Keypair::from_seed(&[2; 32]);
    rt.airdrop(&payer.pubkey(), 10_000_000_000).unwrap();
    rt.warp_to_slot(10);
    World {
        rt,
        payer,
        authority,
    }
}

impl World {
    fn create(&mut self, recent_slot: u64) -> (TransactionResult, Pubkey) {
        let (ix, table) =
            alt::create_lookup_table(self.authority.pubkey(), self.payer.pubkey(), recent_slot);
        (send(&mut self.rt, &self.payer, &[], ix), table)
    }

    fn as_authority(&mut self, ix: Instruction) -> TransactionResult {
        let authority = Keypair::from_seed(&[2; 32]);
        send(&mut self.rt, &self.payer, &[&authority], ix)
    }

    fn extend(&mut self, table: Pubkey, keys: &[Pubkey]) -> TransactionResult {
        let ix = alt::extend_lookup_table(
            table,
            self.authority.pubkey(),
            Some(self.payer.pubkey()),
            keys,
        );
        self.as_authority(ix)
    }
}

/// The table's header fields: deactivation slot, last extended slot, its
/// start index, authority.
fn meta(rt: &Runtime, table: &Pubkey) -> (u64, u64, u8, Option<Pubkey>) {
    let d = rt.account(table).unwrap().data;
    assert_eq!(&d[..4], &1u32.to_le_bytes(), "a LookupTable");
    let authority = (d[21] == 1).then(|| Pubkey::new_from_array(d[22..54].try_into().unwrap()));
    (
        u64::from_le_bytes(d[4..12].try_into().unwrap()),
        u64::from_le_bytes(d[12..20].try_into().unwrap()),
        d[20],
        authority,
    )
}

#[test]
fn the_program_is_at_genesis_and_compiled_on_first_use() {
    let rt = Runtime::new();
    let id = alt::ID;
    assert_eq!(id.to_string(), ALT);
    assert_eq!(id, baton::sbpf::core_bpf::ADDRESS_LOOKUP_TABLE_PROGRAM);
    let program = rt.account(&id).unwrap();
    assert!(program.executable);
    assert_eq!(program.owner, BPF_LOADER_UPGRADEABLE);
    assert_eq!(&program.data[..4], &2u32.to_le_bytes());
    assert_eq!(&program.data[4..], programdata_address(&id).as_array());
    let pd = rt.account(&programdata_address(&id)).unwrap();
    // ProgramData at slot 0 with no upgrade authority, then the ELF.
    assert_eq!(&pd.data[..13], &[3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        &pd.data[45..],
        baton::sbpf::core_bpf::ADDRESS_LOOKUP_TABLE_ELF
    );
    // Not a builtin, and not compiled yet.
    assert!(!rt.programs().is_registered(&id));
    assert!(rt.programs().cached_ids().is_empty());
    // SlotHashes at slot 0: no entries, in an account of Agave's size.
    let sh = rt.account(&SYSVAR_SLOT_HASHES).unwrap();
    assert_eq!(sh.data.len(), 20_488);
    assert!(sh.data.iter().all(|b| *b == 0));

    let mut w = world();
    let (r, _) = w.create(9);
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(w.rt.programs().cached_ids(), vec![id]);
    assert!(!w.rt.programs().is_registered(&id));
    assert_eq!(w.rt.sysvars().slot_hashes.position(9), Some(0));
}

#[test]
fn a_table_is_created_extended_deactivated_and_closed_after_the_cool_down() {
    let mut w = world();
    let rent = w.rt.rent();

    // Create from slot 9: three system CPIs (transfer, allocate, assign).
    let (r, table) = w.create(9);
    assert_eq!(table, alt::lookup_table_address(&w.authority.pubkey(), 9).0);
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(r.compute_units_consumed, 10_593);
    let mut inner = vec!["Program log: Instruction: CreateLookupTable".to_string()];
    inner.extend(system_cpi(3));
    let inner: Vec<&str> = inner.iter().map(String::as_str).collect();
    assert_eq!(r.logs, alt_logs(&inner, 10_593, "success"));
    let account = w.rt.account(&table).unwrap();
    assert_eq!(account.owner, alt::ID);
    assert_eq!(account.data.len(), alt::META_SIZE);
    assert_eq!(account.lamports, rent.minimum_balance(56));
    assert_eq!(
        meta(&w.rt, &table),
        (u64::MAX, 0, 0, Some(w.authority.pubkey()))
    );

    // Extend with two addresses: the payer tops the table up.
    let keys = [Pubkey::new_from_u64(5), Pubkey::new_from_u64(6)];
    let r = w.extend(table, &keys);
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(r.compute_units_consumed, 6_502);
    let mut inner = vec!["Program log: Instruction: ExtendLookupTable".to_string()];
    inner.extend(system_cpi(1));
    let inner: Vec<&str> = inner.iter().map(String::as_str).collect();
    assert_eq!(r.logs, alt_logs(&inner, 6_502, "success"));
    let account = w.rt.account(&table).unwrap();
    assert_eq!(account.data.len(), 56 + 64);
    assert_eq!(&account.data[56..88], keys[0].as_array());
    assert_eq!(&account.data[88..], keys[1].as_array());
    assert_eq!(account.lamports, rent.minimum_balance(120));
    assert_eq!(
        meta(&w.rt, &table),
        (u64::MAX, 10, 0, Some(w.authority.pubkey()))
    );

    // Deactivate at slot 10.
    let ix = alt::deactivate_lookup_table(table, w.authority.pubkey());
    let r = w.as_authority(ix);
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(r.compute_units_consumed, 3_152);
    assert_eq!(
        r.logs,
        alt_logs(
            &["Program log: Instruction: DeactivateLookupTable"],
            3_152,
            "success"
        )
    );
    assert_eq!(meta(&w.rt, &table).0, 10);

    // Closing too early: in the deactivation slot, 513 blocks remain; one
    // slot later 512 (slot 10 is the newest SlotHashes entry); at slot
    // 522 one (slot 10 is the 512th entry).
    let recipient = Pubkey::new_from_u64(77);
    for (slot, remaining) in [(10, 513), (11, 512), (522, 1)] {
        w.rt.warp_to_slot(slot);
        w.rt.expire_blockhash(); // a new blockhash, so each try is a new transaction
        w.rt.warp_to_slot(slot);
        let r = w.as_authority(alt::close_lookup_table(
            table,
            w.authority.pubkey(),
            recipient,
        ));
        assert_eq!(
            r.status,
            failed(InstructionError::InvalidArgument),
            "slot {slot}"
        );
        let why = format!(
            "Program log: Table cannot be closed until it's fully deactivated in {remaining} blocks"
        );
        assert_eq!(
            r.logs,
            alt_logs(
                &[
                    "Program log: Instruction: CloseLookupTable",
                    &why,
                    "Program log: Error: InvalidArgument"
                ],
                r.compute_units_consumed,
                "failed: invalid program argument"
            ),
            "slot {slot}"
        );
    }
    assert_eq!(w.rt.sysvars().slot_hashes.position(10), Some(511));

    // At slot 523 slot 10 has left SlotHashes: the table closes, its
    // lamports go to the recipient, and the account is gone.
    w.rt.expire_blockhash();
    w.rt.warp_to_slot(523);
    assert_eq!(w.rt.sysvars().slot_hashes.position(10), None);
    let lamports = w.rt.balance(&table);
    let r = w.as_authority(alt::close_lookup_table(
        table,
        w.authority.pubkey(),
        recipient,
    ));
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(r.compute_units_consumed, 2_234);
    assert_eq!(
        r.logs,
        alt_logs(
            &["Program log: Instruction: CloseLookupTable"],
            2_234,
            "success"
        )
    );
    assert_eq!(w.rt.account(&table), None);
    assert_eq!(w.rt.balance(&recipient), lamports);
}

#[test]
fn frozen_tables_cannot_change() {
    let mut w = world();
    let (_, table) = w.create(9);
    let freeze = alt::freeze_lookup_table(table, w.authority.pubkey());
    let r = w.as_authority(freeze.clone());
    assert_eq!(r.status, failed(InstructionError::InvalidInstructionData));
    assert!(
        r.logs
            .contains(&"Program log: Empty lookup tables cannot be frozen".to_string()),
        "{:?}",
        r.logs
    );

    assert_eq!(w.extend(table, &[Pubkey::new_from_u64(5)]).status, Ok(()));
    w.rt.expire_blockhash();
    let r = w.as_authority(freeze);
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(r.compute_units_consumed, 1_518);
    assert_eq!(
        r.logs,
        alt_logs(
            &["Program log: Instruction: FreezeLookupTable"],
            1_518,
            "success"
        )
    );
    assert_eq!(meta(&w.rt, &table).3, None);

    let r = w.extend(table, &[Pubkey::new_from_u64(6)]);
    assert_eq!(r.status, failed(InstructionError::Immutable));
    assert_eq!(
        r.logs,
        alt_logs(
            &[
                "Program log: Instruction: ExtendLookupTable",
                "Program log: Lookup table is frozen",
                "Program log: Error: Immutable"
            ],
            r.compute_units_consumed,
            "failed: Account is immutable"
        )
    );
    let r = w.as_authority(alt::deactivate_lookup_table(table, w.authority.pubkey()));
    assert_eq!(r.status, failed(InstructionError::Immutable));
    assert_eq!(w.rt.account(&table).unwrap().data.len(), 56 + 32);
}

#[test]
fn wrong_authorities_and_stale_slots_are_refused() {
    let mut w = world();
    let (_, table) = w.create(9);
    let intruder = Keypair::from_seed(&[3; 32]);
    let ix = alt::extend_lookup_table(
        table,
        intruder.pubkey(),
        Some(w.payer.pubkey()),
        &[Pubkey::new_from_u64(5)],
    );
    let r = send(&mut w.rt, &w.payer, &[&intruder], ix);
    assert_eq!(r.status, failed(InstructionError::IncorrectAuthority));
    assert!(
        r.logs
            .contains(&"Program log: Incorrect lookup table authority".to_string()),
        "{:?}",
        r.logs
    );
    assert_eq!(w.rt.account(&table).unwrap().data.len(), 56, "unchanged");

    // The current slot and a future one are not in SlotHashes; nor is a
    // slot more than 512 back.
    w.rt.warp_to_slot(600);
    for slot in [600, 601, 87] {
        let (r, table) = w.create(slot);
        assert_eq!(
            r.status,
            failed(InstructionError::InvalidInstructionData),
            "{slot}"
        );
        let why = format!("Program log: {slot} is not a recent slot");
        assert!(r.logs.contains(&why), "{:?}", r.logs);
        assert_eq!(w.rt.account(&table), None);
    }
    // The oldest listed slot still works.
    let (r, _) = w.create(88);
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(
        SlotHashes::stand_in_hash(88),
        *w.rt.sysvars().slot_hashes.get(88).unwrap()
    );
}

#[test]
fn one_and_two_threads_agree() {
    let run = |threads: usize| {
        let mut rt = Runtime::new().with_threads(threads);
        rt.warp_to_slot(3);
        let payers: Vec<Keypair> = (10..18u8).map(|i| Keypair::from_seed(&[i; 32])).collect();
        let txs: Vec<Transaction> = payers
            .iter()
            .enumerate()
            .map(|(i, p)| {
                rt.airdrop(&p.pubkey(), 1_000_000_000).unwrap();
                let (ix, _) = alt::create_lookup_table(p.pubkey(), p.pubkey(), (i % 3) as u64);
                Transaction::new_signed_with_payer(
                    &[ix],
                    Some(&p.pubkey()),
                    &[p],
                    rt.latest_blockhash(),
                )
                .unwrap()
            })
            .collect();
        let results: Vec<_> = rt
            .execute_batch(&txs)
            .into_iter()
            .map(|r| (r.status, r.compute_units_consumed, r.logs))
            .collect();
        (results, rt.state_hash())
    };
    let one = run(1);
    assert!(one.0.iter().all(|r| r.0.is_ok()), "{:?}", one.0);
    assert_eq!(one, run(2));
}
