//! The `call_tree` fuzz body: a batch of 1–4 transactions running call
//! trees of the scripted program under three ids, run serially and on two
//! threads, checked for the engine's invariants (see [`call_tree`]).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use baton::{
    genesis_blockhash, ids, pda, system, Account, AccountMeta, Instruction, Message, Pubkey,
    Runtime, Signature, Transaction, TransactionResult,
};
use baton_scenario::scripted::{
    self, AccountRef, AuthArg, Invoke, InvokeAuth, Meta, Op, Payload, ScriptedProgram,
};

/// The three ids the scripted program runs under.
pub const PROGRAMS: [Pubkey; 3] = [
    Pubkey::new_from_array([0xA1; 32]),
    Pubkey::new_from_array([0xB2; 32]),
    Pubkey::new_from_array([0xC3; 32]),
];
/// The seed of the program-derived account of program A.
pub const PDA_SEED: &[u8] = b"pda";
/// Starting balance of each fee payer.
const PAYER_LAMPORTS: u64 = 1_000_000_000;
/// Starting balance of each state account.
const STATE_LAMPORTS: u64 = 2_000_000;
/// Data length of each state account.
const STATE_DATA: usize = 8;
/// Deepest script nesting generated (top level is 0).
const MAX_DEPTH: usize = 3;

fn payer_key(i: u64) -> Pubkey {
    Pubkey::new_from_u64(1_000 + i)
}

fn state_key(i: u64) -> Pubkey {
    Pubkey::new_from_u64(2_000 + i)
}

fn pda_key() -> Pubkey {
    pda::find_program_address(&[PDA_SEED], &PROGRAMS[0]).0
}

/// Every key a call-tree batch can name: two payers, four state accounts
/// (owned by A, B, C and the system program), A's PDA (a system account),
/// an absent account, the three program ids and the system program.
pub fn key_pool() -> Vec<Pubkey> {
    let mut keys = vec![payer_key(0), payer_key(1)];
    keys.extend((0..4).map(state_key));
    keys.push(pda_key());
    keys.push(Pubkey::new_from_u64(9_999));
    keys.extend(PROGRAMS);
    keys.push(ids::SYSTEM_PROGRAM);
    keys
}

/// The accounts a call-tree runtime starts with.
fn genesis() -> Vec<(Pubkey, Account)> {
    let mut out = Vec::new();
    for i in 0..2 {
        out.push((
            payer_key(i),
            Account::new(PAYER_LAMPORTS, 0, &ids::SYSTEM_PROGRAM),
        ));
    }
    let owners = [PROGRAMS[0], PROGRAMS[1], PROGRAMS[2], ids::SYSTEM_PROGRAM];
    for (i, owner) in owners.iter().enumerate() {
        out.push((
            state_key(i as u64),
            Account::new(STATE_LAMPORTS, STATE_DATA, owner),
        ));
    }
    out.push((
        pda_key(),
        Account::new(STATE_LAMPORTS, 0, &ids::SYSTEM_PROGRAM),
    ));
    out
}

fn call_tree_runtime(threads: usize) -> Option<Runtime> {
    // Blockhash and history checks off: the runtimes are reused for every
    // input (see `Pair`), and neither check concerns call trees.
    let mut rt = Runtime::new()
        .with_sigverify(false)
        .with_blockhash_check(false)
        .with_transaction_history(false)
        .with_log_collection(true)
        .with_threads(threads);
    for id in PROGRAMS {
        rt.add_program(id, Arc::new(ScriptedProgram));
    }
    for (key, account) in genesis() {
        rt.set_account(key, account).ok()?;
    }
    Some(rt)
}

/// Reads generation choices from the fuzz input; past its end every read
/// is zero, so every input describes a batch.
struct Choices<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }

    fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    fn lamports(&mut self) -> u64 {
        match self.byte() % 6 {
            0 => 0,
            1 => 1,
            2 => 1_000,
            3 => 1_000_000,
            4 => STATE_LAMPORTS,
            _ => u64::MAX,
        }
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max + 1);
        (0..n).map(|_| self.byte()).collect()
    }

    /// An index among `n` accounts, now and then one past them.
    fn index(&mut self, n: usize) -> u16 {
        self.below(n + 1) as u16
    }

    fn owner(&mut self) -> [u8; 32] {
        match self.below(4) {
            3 => ids::SYSTEM_PROGRAM.to_bytes(),
            i => PROGRAMS[i].to_bytes(),
        }
    }

    /// A script for a frame with `n` instruction accounts (or, for an
    /// `invoke_auth` callee, `n` transaction accounts).
    fn script(&mut self, depth: usize, n: usize, tx_keys: usize) -> Vec<Op> {
        let count = self.below(5);
        (0..count).map(|_| self.op(depth, n, tx_keys)).collect()
    }

    fn op(&mut self, depth: usize, n: usize, tx_keys: usize) -> Op {
        match self.below(24) {
            0 | 1 => Op::Write {
                account: self.index(n),
                offset: self.below(STATE_DATA + 2) as u64,
                bytes: self.bytes(3),
            },
            2 => Op::Resize {
                account: self.index(n),
                len: match self.byte() {
                    255 => 10_241,
                    b => u64::from(b % 24),
                },
            },
            3 | 4 => Op::Transfer {
                from: self.index(n),
                to: self.index(n),
                lamports: self.lamports(),
            },
            5 => Op::Credit {
                account: self.index(n),
                lamports: self.lamports(),
            },
            6 => Op::Debit {
                account: self.index(n),
                lamports: self.lamports(),
            },
            7 => Op::Assign {
                account: self.index(n),
                owner: self.owner(),
            },
            8 => Op::Fail(self.below(3) as u32),
            9..=11 => Op::Invoke(self.invoke(depth, n, tx_keys)),
            12 => Op::TryInvoke {
                invoke: self.invoke(depth, n, tx_keys),
                expect: None,
            },
            13 => Op::InvokeIgnoreError(self.invoke(depth, n, tx_keys)),
            14 => Op::SetReturnData(self.bytes(3)),
            15 => Op::Log("x".to_owned()),
            16 => {
                // Rare: a panic needs a second confirming byte.
                if self.byte() == 0x5A {
                    Op::Panic
                } else {
                    Op::Noop(Vec::new())
                }
            }
            17 => Op::SetExecutable {
                account: self.index(n),
            },
            18 | 19 => {
                let call = self.invoke_auth(depth, tx_keys);
                if self.flag() {
                    Op::InvokeAuth(call)
                } else {
                    Op::TryInvokeAuth(call)
                }
            }
            20 => Op::Revert(self.below(3) as u32),
            21 => Op::ExitWithCode(self.below(3) as u64),
            22 => Op::ConsumeUnits(self.below(4) as u64 * 500),
            _ => Op::BorrowTwice {
                a: self.index(n),
                b: self.index(n),
            },
        }
    }

    fn invoke(&mut self, depth: usize, n: usize, tx_keys: usize) -> Invoke {
        let program = if self.below(8) == 0 {
            AccountRef::Key(ids::SYSTEM_PROGRAM.to_bytes())
        } else {
            AccountRef::Index(self.index(n))
        };
        let k = self.below(5);
        let accounts: Vec<Meta> = (0..k)
            .map(|_| {
                let b = self.byte();
                Meta {
                    account: AccountRef::Index(self.index(n)),
                    is_signer: b & 1 == 1,
                    is_writable: b & 2 == 2,
                }
            })
            .collect();
        let seeds = match self.below(4) {
            0 => vec![vec![PDA_SEED.to_vec()]],
            1 => vec![vec![self.bytes(2)]],
            _ => Vec::new(),
        };
        let payload = if self.below(4) == 0 {
            // System transfer from the callee's account 0 to its account 1.
            let ix = system::instruction::transfer(
                &Pubkey::default(),
                &Pubkey::default(),
                self.lamports(),
            );
            Payload::Raw(ix.data)
        } else if depth < MAX_DEPTH {
            Payload::Script(self.script(depth + 1, k, tx_keys))
        } else {
            Payload::Script(Vec::new())
        };
        Invoke {
            program,
            accounts,
            seeds,
            payload,
        }
    }

    fn invoke_auth(&mut self, depth: usize, tx_keys: usize) -> InvokeAuth {
        let program = self.index(tx_keys);
        let auth = match self.below(3) {
            0 => AuthArg::None,
            1 => AuthArg::Lists {
                authorized: (0..self.below(3)).map(|_| self.index(tx_keys)).collect(),
                deauthorized: (0..self.below(2)).map(|_| self.index(tx_keys)).collect(),
            },
            _ => AuthArg::Encoded(self.bytes(4)),
        };
        let payload = if depth < MAX_DEPTH {
            Payload::Script(self.script(depth + 1, tx_keys, tx_keys))
        } else {
            Payload::Script(Vec::new())
        };
        InvokeAuth {
            program,
            auth,
            payload,
            expect: None,
        }
    }
}

/// Decode fuzz input into a batch of one to four transactions, each with
/// one or two top-level instructions to a scripted program (A, B or C)
/// over accounts from [`key_pool`] with arbitrary signer and writable
/// flags, each running a script with nested invokes (plain, signed with
/// A's PDA seed or other seeds, catchable, ignored, `invoke_auth`), lamport
/// moves, writes, resizes, owner changes, failures and reverts.
pub fn call_tree_batch(data: &[u8]) -> Vec<Transaction> {
    let pool = key_pool();
    let mut c = Choices { data, pos: 0 };
    let txs = 1 + c.below(4);
    (0..txs)
        .map(|t| {
            let payer = payer_key(c.below(2) as u64);
            let ixs = 1 + c.below(2);
            let mut instructions = Vec::with_capacity(ixs);
            // Top-level metas first, so that scripts know how many keys the
            // transaction has (an upper bound: duplicates merge).
            let plans: Vec<(Pubkey, Vec<AccountMeta>)> = (0..ixs)
                .map(|_| {
                    let program = PROGRAMS[c.below(3)];
                    let k = c.below(6);
                    let metas = (0..k)
                        .map(|_| {
                            let key = pool[c.below(pool.len())];
                            let b = c.byte();
                            AccountMeta {
                                pubkey: key,
                                is_signer: b & 1 == 1,
                                is_writable: b & 2 == 2,
                            }
                        })
                        .collect();
                    (program, metas)
                })
                .collect();
            let tx_keys: usize = 1 + plans.iter().map(|(_, m)| m.len() + 1).sum::<usize>();
            for (program, metas) in plans {
                let script = c.script(0, metas.len(), tx_keys);
                instructions.push(Instruction::new_with_bytes(
                    program,
                    &scripted::encode(&script),
                    metas,
                ));
            }
            let message =
                Message::new_with_blockhash(&instructions, Some(&payer), &genesis_blockhash());
            let signatures = (0..message.header.num_required_signatures)
                .map(|s| {
                    let mut sig = [0u8; 64];
                    sig[0] = t as u8;
                    sig[1] = s;
                    sig[2..34].copy_from_slice(&data.len().to_le_bytes().repeat(4));
                    Signature(sig)
                })
                .collect();
            Transaction {
                signatures,
                message,
            }
        })
        .collect()
}

type State = BTreeMap<Pubkey, Account>;

fn snapshot(rt: &Runtime, keys: &[Pubkey]) -> State {
    keys.iter()
        .map(|k| (*k, rt.account(k).unwrap_or_default()))
        .collect()
}

fn total_lamports(state: &State) -> u128 {
    state.values().map(|a| u128::from(a.lamports)).sum()
}

/// Check one transaction's effect on `keys` from `pre` to `post`: a
/// rejected transaction changes nothing; a failed one only charges the fee
/// payer its fee; a successful one changes only accounts writable at the
/// top level, and debits, rewrites or reassigns only accounts that it may:
/// those owned by a program among the transaction's keys, and system
/// accounts only when they sign or are A's PDA (with A among the keys).
fn check_privileges(tx: &Transaction, result: &TransactionResult, pre: &State, post: &State) {
    let m = &tx.message;
    let payer = m.account_keys.first().copied().unwrap_or_default();
    for (key, before) in pre {
        let Some(after) = post.get(key) else {
            continue;
        };
        if before == after {
            continue;
        }
        let index = m.account_keys.iter().position(|k| k == key);
        match &result.status {
            Err(_) if result.fee == 0 => {
                panic!("rejected transaction changed {key}: {result:?}")
            }
            Err(_) => {
                let mut charged = before.clone();
                charged.lamports = charged.lamports.saturating_sub(result.fee);
                // Loaded rent exempt, the payer's rent epoch becomes u64::MAX.
                if after.rent_epoch == u64::MAX {
                    charged.rent_epoch = u64::MAX;
                }
                assert!(
                    *key == payer && *after == charged,
                    "failed transaction changed {key} beyond the fee: {result:?}"
                );
            }
            Ok(()) => {
                let Some(i) = index else {
                    panic!("transaction changed {key}, which it does not name: {result:?}")
                };
                assert!(
                    m.is_writable(i),
                    "read-only account {key} (index {i}) changed: {before:?} -> {after:?}; {result:?}"
                );
                let debited = after.lamports < before.lamports
                    && !(i == 0 && before.lamports - after.lamports <= result.fee);
                let modified = after.data != before.data
                    || after.owner != before.owner
                    || after.executable != before.executable;
                if debited || modified {
                    assert!(
                        m.account_keys.contains(&before.owner),
                        "{key} changed without its owner {} in the transaction: {result:?}",
                        before.owner
                    );
                }
                if debited && before.owner == ids::SYSTEM_PROGRAM {
                    let signs = m.is_signer(i);
                    let pda = *key == pda_key() && m.account_keys.contains(&PROGRAMS[0]);
                    assert!(
                        signs || pda,
                        "system account {key} debited without signing: {result:?}"
                    );
                }
            }
        }
    }
}

/// Fuzz body for call trees: decode `data` into a batch
/// ([`call_tree_batch`]) and run it one transaction at a time on a
/// one-thread runtime and as one batch on a two-thread runtime, both with
/// signature checks off. Checks:
///
/// - nothing panics (scripted panics fail only their transaction);
/// - parallel equals serial: the same results (status, logs, units, fee,
///   return data) and the same state hash;
/// - lamports are conserved: the lamports of all accounts before, less
///   those after, equal the fees charged;
/// - no privilege escalation, transaction by transaction (see
///   `check_privileges`).
pub fn call_tree(data: &[u8]) {
    thread_local! {
        static PAIR: RefCell<Option<Pair>> = const { RefCell::new(None) };
    }
    PAIR.with(|pair| {
        let mut pair = pair.borrow_mut();
        let pair = pair.get_or_insert_with(Pair::new);
        pair.reset();
        run_call_tree(data, &mut pair.serial, &mut pair.parallel);
    });
}

/// A one-thread and a two-thread runtime kept between inputs (building a
/// runtime starts a thread pool, which would dominate each input's time),
/// and the state they start from.
struct Pair {
    serial: Runtime,
    parallel: Runtime,
    start: Vec<(Pubkey, Account)>,
    hash: baton::StateHash,
}

impl Pair {
    fn new() -> Self {
        let (Some(serial), Some(parallel)) = (call_tree_runtime(1), call_tree_runtime(2)) else {
            panic!("call-tree runtime setup failed");
        };
        let start = key_pool()
            .into_iter()
            .map(|k| (k, serial.account(&k).unwrap_or_default()))
            .collect();
        let hash = serial.state_hash();
        Self {
            serial,
            parallel,
            start,
            hash,
        }
    }

    /// Put every account back as it started (a zero-lamport account is
    /// removed) and check that the state is exactly the starting one.
    fn reset(&mut self) {
        for rt in [&mut self.serial, &mut self.parallel] {
            for (k, a) in &self.start {
                if rt.account(k).unwrap_or_default() != *a {
                    if let Err(e) = rt.set_account(*k, a.clone()) {
                        panic!("reset {k}: {e}");
                    }
                }
            }
            assert_eq!(rt.state_hash(), self.hash, "reset to the starting state");
        }
    }
}

fn run_call_tree(data: &[u8], serial: &mut Runtime, parallel: &mut Runtime) {
    let txs = call_tree_batch(data);
    let keys = key_pool();
    let start = snapshot(serial, &keys);
    let mut expected = Vec::with_capacity(txs.len());
    let mut pre = start.clone();
    for tx in &txs {
        let result = serial
            .execute_batch(std::slice::from_ref(tx))
            .pop()
            .unwrap_or_else(|| panic!("no result"));
        let post = snapshot(serial, &keys);
        check_privileges(tx, &result, &pre, &post);
        pre = post;
        expected.push(result);
    }
    let fees: u128 = expected.iter().map(|r| u128::from(r.fee)).sum();
    assert_eq!(
        total_lamports(&start),
        total_lamports(&pre) + fees,
        "lamports not conserved (before = after + fees): {expected:?}"
    );
    let got = parallel.execute_batch(&txs);
    assert_eq!(got, expected, "2 threads differ from serial");
    assert_eq!(parallel.state_hash(), serial.state_hash(), "state hash");
    assert_eq!(snapshot(parallel, &keys), pre, "final accounts");
}
