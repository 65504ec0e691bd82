//! The `alt` suite: the Address Lookup Table program (the Core BPF ELF
//! LiteSVM loads) through its life cycle — create, extend, freeze,
//! deactivate, close — and the failures of each; plus a marked scenario
//! where LiteSVM's SlotHashes, frozen at its first slot, departs from
//! Agave's.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_address_lookup_table_interface::instruction as alt;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

use crate::build::{cb, keypair, pubkey, system_account, transaction, Version};
use crate::fixture::{ProgramEntry, Scenario};
use crate::harness::{agave_slot_hashes, fees_only, slot_hashes, Harness};

pub fn programs() -> Vec<ProgramEntry> {
    let svm = litesvm::LiteSVM::new();
    let id = solana_sdk_ids::address_lookup_table::id();
    let program = svm
        .get_account(&id)
        .unwrap_or_else(|| panic!("LiteSVM has no {id}"));
    // An upgradeable program: its account points at its programdata, whose
    // bytes past the 45-byte header are the ELF.
    let pd = Pubkey::try_from(&program.data[4..36]).unwrap_or_default();
    let pd = svm
        .get_account(&pd)
        .unwrap_or_else(|| panic!("no programdata for {id}"));
    let sha = solana_sha256_hasher::hashv(&[&pd.data[45..]]);
    vec![ProgramEntry {
        id: id.to_string(),
        name: "address-lookup-table (Core BPF, LiteSVM's vendored ELF)".into(),
        loader: program.owner.to_string(),
        elf: None,
        elf_sha256: hex::encode(sha.to_bytes()),
    }]
}

pub fn scenarios(rng: &mut ChaCha8Rng) -> Vec<Scenario> {
    vec![
        lifecycle("alt/lifecycle-legacy", Version::Legacy, rng.gen()),
        lifecycle("alt/lifecycle-v0", Version::V0, rng.gen()),
        frozen_slot_hashes(rng.gen()),
        programdata_size(rng.gen()),
    ]
}

struct Ctx {
    payer: Keypair,
    other: Keypair,
    version: Version,
    /// Transactions built so far: each after the first that has no
    /// compute-budget instruction of its own gets a price of that many
    /// micro-lamports, so that no two are the same transaction.
    built: std::cell::Cell<u64>,
}

impl Ctx {
    fn tx(&self, h: &Harness, ixs: &[Instruction], extra: &[&Keypair]) -> VersionedTransaction {
        let n = self.built.get();
        self.built.set(n + 1);
        let mut with_price;
        let priced = ixs
            .iter()
            .any(|ix| ix.program_id == solana_sdk_ids::compute_budget::id());
        let ixs = if n == 0 || priced {
            ixs
        } else {
            with_price = vec![cb::price(n)];
            with_price.extend_from_slice(ixs);
            &with_price[..]
        };
        let mut signers: Vec<&Keypair> = vec![&self.payer];
        signers.extend_from_slice(extra);
        transaction(
            self.version,
            ixs,
            &self.payer.pubkey(),
            &signers,
            h.svm.latest_blockhash(),
            &[],
        )
    }
}

fn setup(name: &str, seed: u64, version: Version, track: bool) -> (Harness, Ctx, ChaCha8Rng, u64) {
    use rand::SeedableRng;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut h = Harness::new(name, true);
    h.track_slot_hashes = track;
    let s0 = h.slot();
    if track {
        h.start_slot_hashes(agave_slot_hashes(s0));
    } else {
        // LiteSVM keeps its own; the fixture states Agave's.
        h.scenario.slot_hashes = Some(agave_slot_hashes(s0));
    }
    let payer = keypair(&mut rng);
    let other = keypair(&mut rng);
    h.set(
        payer.pubkey(),
        system_account(rng.gen_range(5_000_000_000..9_000_000_000), u64::MAX),
    );
    h.set(
        other.pubkey(),
        system_account(rng.gen_range(1_000_000_000..2_000_000_000), u64::MAX),
    );
    (
        h,
        Ctx {
            payer,
            other,
            version,
            built: std::cell::Cell::new(0),
        },
        rng,
        s0,
    )
}

fn lifecycle(name: &str, version: Version, seed: u64) -> Scenario {
    let (mut h, c, mut rng, s0) = setup(name, seed, version, true);
    let tag = [version.tag(), "alt"];
    let p = c.payer.pubkey();
    let o = c.other.pubkey();
    let addrs = |rng: &mut ChaCha8Rng, n: usize| (0..n).map(|_| pubkey(rng)).collect::<Vec<_>>();

    h.warp(s0 + 1);
    let (create1, t1) = alt::create_lookup_table(p, p, s0);
    let tx = c.tx(&h, std::slice::from_ref(&create1), &[]);
    h.tx("create", &tag, &tx);
    let tx = c.tx(&h, &[cb::price(1), create1], &[]);
    h.tx("create-again", &tag, &tx);
    let (ix, _) = alt::create_lookup_table(p, p, s0 + 1);
    h.tx("create-current-slot", &tag, &c.tx(&h, &[ix], &[]));
    let (ix, _) = alt::create_lookup_table(p, p, s0 - 600);
    h.tx("create-old-slot", &tag, &c.tx(&h, &[ix], &[]));
    let (mut ix, t2) = alt::create_lookup_table(o, p, s0 - 3);
    ix.accounts[1].is_signer = true;
    h.tx(
        "create-signed-other-authority",
        &tag,
        &c.tx(&h, &[ix], &[&c.other]),
    );

    let ix = alt::extend_lookup_table(t1, p, Some(p), addrs(&mut rng, 3));
    h.tx("extend-3", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::extend_lookup_table(t1, p, Some(p), Vec::new());
    h.tx("extend-empty", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::extend_lookup_table(t1, o, Some(p), addrs(&mut rng, 1));
    h.tx(
        "extend-wrong-authority",
        &tag,
        &c.tx(&h, &[ix], &[&c.other]),
    );
    let mut ix = alt::extend_lookup_table(t1, o, Some(p), addrs(&mut rng, 1));
    ix.accounts[1].is_signer = false;
    h.tx("extend-authority-not-signer", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::extend_lookup_table(t1, p, None, addrs(&mut rng, 2));
    h.tx("extend-no-payer", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::extend_lookup_table(t1, p, Some(p), addrs(&mut rng, 257));
    h.tx("extend-past-256", &tag, &c.tx(&h, &[ix], &[]));

    h.warp(s0 + 2);
    let ix = alt::extend_lookup_table(t1, p, Some(p), addrs(&mut rng, 25));
    h.tx("extend-25", &tag, &c.tx(&h, &[cb::limit(100_000), ix], &[]));
    let ix = alt::freeze_lookup_table(t2, o);
    h.tx("freeze-empty", &tag, &c.tx(&h, &[ix], &[&c.other]));
    let ix = alt::freeze_lookup_table(t1, o);
    h.tx(
        "freeze-wrong-authority",
        &tag,
        &c.tx(&h, &[ix], &[&c.other]),
    );
    let ix = alt::freeze_lookup_table(t1, p);
    h.tx("freeze", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::extend_lookup_table(t1, p, Some(p), addrs(&mut rng, 1));
    h.tx("extend-frozen", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::deactivate_lookup_table(t1, p);
    h.tx("deactivate-frozen", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::close_lookup_table(t1, p, p);
    h.tx("close-frozen", &tag, &c.tx(&h, &[ix], &[]));

    let ix = alt::extend_lookup_table(t2, o, Some(p), addrs(&mut rng, 2));
    h.tx("extend-other", &tag, &c.tx(&h, &[ix], &[&c.other]));
    let ix = alt::close_lookup_table(t2, o, p);
    h.tx("close-active", &tag, &c.tx(&h, &[ix], &[&c.other]));
    let ix = alt::deactivate_lookup_table(t2, o);
    h.tx(
        "deactivate",
        &tag,
        &c.tx(&h, &[cb::price(50_000), ix], &[&c.other]),
    );
    let ix = alt::deactivate_lookup_table(t2, o);
    h.tx(
        "deactivate-again",
        &tag,
        &c.tx(&h, &[cb::limit(5_000), ix], &[&c.other]),
    );
    let ix = alt::extend_lookup_table(t2, o, Some(p), addrs(&mut rng, 1));
    h.tx("extend-deactivated", &tag, &c.tx(&h, &[ix], &[&c.other]));
    let ix = alt::close_lookup_table(t2, o, p);
    h.tx("close-same-slot", &tag, &c.tx(&h, &[ix], &[&c.other]));

    h.warp(s0 + 3);
    let ix = alt::close_lookup_table(t2, o, p);
    h.tx("close-cooling-down", &tag, &c.tx(&h, &[ix], &[&c.other]));
    h.warp(s0 + 2 + 513);
    let ix = alt::close_lookup_table(t2, p, p);
    h.tx("close-wrong-authority", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::close_lookup_table(t2, o, t2);
    h.tx("close-to-itself", &tag, &c.tx(&h, &[ix], &[&c.other]));
    let recipient = pubkey(&mut rng);
    let ix = alt::close_lookup_table(t2, o, recipient);
    h.tx("close", &tag, &c.tx(&h, &[ix], &[&c.other]));
    let ix = alt::close_lookup_table(t2, o, recipient);
    h.tx("close-closed", &tag, &c.tx(&h, &[ix], &[&c.other]));
    let s = h.slot();
    let (ix, t3) = alt::create_lookup_table(o, p, s - 1);
    h.tx("create-newest-slot", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::extend_lookup_table(t3, o, Some(p), addrs(&mut rng, 4));
    h.tx("extend-new", &tag, &c.tx(&h, &[ix], &[&c.other]));
    let ix = alt::deactivate_lookup_table(t3, o);
    let ix2 = alt::close_lookup_table(t3, o, p);
    h.tx(
        "deactivate-and-close",
        &tag,
        &c.tx(&h, &[ix, ix2], &[&c.other]),
    );
    h.finish()
}

/// LiteSVM keeps SlotHashes as it was at its first slot; Agave lists the
/// slots before the current one. Marked transactions expect Agave's
/// outcome, computed by running them in LiteSVM with Agave's SlotHashes.
fn frozen_slot_hashes(seed: u64) -> Scenario {
    let (mut h, c, _rng, s0) = setup("marked/slot-hashes-frozen", seed, Version::Legacy, false);
    let tag = ["legacy", "alt", "slot-hashes"];
    let p = c.payer.pubkey();
    let reason = "LiteSVM keeps SlotHashes frozen at its first slot; Agave's lists the 512 \
                  slots before the current one";
    h.warp(s0 + 1);
    let (ix, t) = alt::create_lookup_table(p, p, s0);
    h.tx("create", &tag, &c.tx(&h, &[ix], &[]));
    let ix = alt::deactivate_lookup_table(t, p);
    h.tx("deactivate", &tag, &c.tx(&h, &[ix], &[]));
    h.warp(s0 + 2);
    let marked = |h: &mut Harness, name: &str, tx: VersionedTransaction| {
        let spec = agave_slot_hashes(h.slot());
        h.tx_agave(name, &tag, &tx, reason, |h, _, _| {
            h.run_on_copy_with(&tx, |svm| svm.set_sysvar(&slot_hashes(spec)))
                .0
        });
    };
    let ix = alt::close_lookup_table(t, p, p);
    let tx = c.tx(&h, &[ix], &[]);
    marked(&mut h, "close-cooling-down", tx);
    let (ix, _) = alt::create_lookup_table(p, p, s0 + 1);
    let tx = c.tx(&h, &[ix], &[]);
    marked(&mut h, "create-recent-slot", tx);
    h.finish()
}

/// LiteSVM leaves an upgradeable program's programdata out of the loaded
/// data size; Agave counts it (SIMD-0186: 64 bytes plus its data). A limit
/// between the two counts passes in LiteSVM and fails in Agave, which
/// charges the fee (fees-only).
fn programdata_size(seed: u64) -> Scenario {
    let (mut h, c, _rng, s0) = setup("marked/programdata-data-size", seed, Version::Legacy, true);
    let p = c.payer.pubkey();
    h.warp(s0 + 1);
    let id = solana_sdk_ids::address_lookup_table::id();
    let program = h.svm.get_account(&id).unwrap_or_else(|| panic!("no {id}"));
    let pd = Pubkey::try_from(&program.data[4..36]).unwrap_or_default();
    let pd_len = h.svm.get_account(&pd).map_or(0, |a| a.data.len() as u32);
    let (create, _) = alt::create_lookup_table(p, p, s0);
    // LiteSVM's count, for the state now: 64 bytes plus the data of every
    // account named; Agave's adds the programdata's.
    let counts = |h: &Harness| {
        let probe = c.tx(h, &[cb::data_size(1), create.clone()], &[]);
        let lite: u32 = probe
            .message
            .static_account_keys()
            .iter()
            .map(|k| h.svm.get_account(k).map_or(0, |a| 64 + a.data.len() as u32))
            .sum();
        (lite, lite + 64 + pd_len)
    };
    let reason = "LiteSVM does not count an upgradeable program's programdata toward the \
                  loaded-data size; Agave does (SIMD-0186), and charges the fee (fees-only) \
                  when the limit is exceeded";
    let marked = |h: &mut Harness, name: &str, limit: u32| {
        let tx = c.tx(h, &[cb::data_size(limit), create.clone()], &[]);
        let pre = h.pre_state(&tx);
        h.tx_agave(
            name,
            &["legacy", "alt", "fees-only"],
            &tx,
            reason,
            |_, _, fee| fees_only(&pre, &p, fee, "MaxLoadedAccountsDataSizeExceeded"),
        );
    };
    let (lite, _) = counts(&h);
    marked(&mut h, "data-size-litesvm-exact", lite);
    let (_, agave) = counts(&h);
    let tx = c.tx(&h, &[cb::data_size(agave), create.clone()], &[]);
    h.tx(
        "data-size-agave-exact",
        &["legacy", "alt", "cb-data-size"],
        &tx,
    );
    // The table exists now (a second create leaves it as it is).
    let (_, agave) = counts(&h);
    marked(&mut h, "data-size-agave-exact-minus-1", agave - 1);
    h.finish()
}
