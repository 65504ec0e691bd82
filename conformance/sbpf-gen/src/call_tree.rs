//! The `call-trees` suite: random call trees of one assembled program
//! (`asm/node.s`, see `node_elf.rs`) deployed at three ids under loader v2,
//! with the system program as a native leaf. A case's instruction data is
//! the root's list of operations; an invoke carries the callee's metas and
//! data, so the whole tree is in the root's data. Seeded trees vary: depth
//! up to the limit (height 5) and past it, self-CPI, reentrancy, duplicate
//! metas, writable and signer escalation, return data set and read across
//! calls, logs, data writes and lamport moves (valid and not), a failure at
//! some node, and budgets the tree runs out of.

use mollusk_svm::program::loader_keys::LOADER_V2;
use mollusk_svm::program::{create_program_account_loader_v2, keyed_account_for_system_program};
use mollusk_svm::Mollusk;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

use crate::fixture::{Case, Environment, ProgramRef};
use crate::harness;
use crate::ptoken::{base_mollusk, run, state};

mod directed;
mod invoke;

/// The node program's ids (one ELF, three deployments).
pub const NODES: [Pubkey; 3] = [
    Pubkey::from_str_const("NodeA11111111111111111111111111111111111111"),
    Pubkey::from_str_const("NodeB11111111111111111111111111111111111111"),
    Pubkey::from_str_const("NodeC11111111111111111111111111111111111111"),
];
const SYSTEM: Pubkey = Pubkey::new_from_array([0; 32]);

/// The ELF's path relative to `conformance/fixtures/`, where the suite
/// writes it beside the JSON.
pub const ELF_PATH: &str = "elf/call-tree-node.so";

/// Compute limits: the default, then budgets a tree runs out of.
pub const BUDGETS: [u64; 3] = [200_000, 3_000, 8_000];

/// One environment per budget.
pub fn environments() -> Vec<Environment> {
    crate::budget_envs(&BUDGETS)
}

/// The suite's programs: the node ELF at each id, the system program.
pub fn programs(elf: &[u8]) -> Vec<ProgramRef> {
    let mut p: Vec<ProgramRef> = NODES
        .iter()
        .map(|id| ProgramRef {
            id: id.to_string(),
            kind: "sbpf".into(),
            name: "call-tree-node".into(),
            loader: Some(LOADER_V2.to_string()),
            elf: Some(ELF_PATH.into()),
            elf_sha256: Some(hex::encode(solana_sha256_hasher::hash(elf).to_bytes())),
        })
        .collect();
    p.push(ProgramRef {
        id: SYSTEM.to_string(),
        kind: "builtin".into(),
        name: "system".into(),
        loader: None,
        elf: None,
        elf_sha256: None,
    });
    p
}

/// An account of a node's view: its key and the privileges the node has.
#[derive(Clone, Copy)]
struct Slot {
    key: Pubkey,
    writable: bool,
    signer: bool,
}

/// The case generator.
pub struct TreeGen {
    rng: ChaCha8Rng,
    mollusks: Vec<Mollusk>,
    /// Cases regenerated because Mollusk panicked.
    pub dropped: usize,
    /// Owners of the user accounts of the case being built.
    owners: Vec<(Pubkey, Pubkey)>,
    /// Each node's address derived from `[b"pda", bump]`, and the bump.
    pdas: Vec<(Pubkey, u8)>,
    /// Nodes left to the tree being built.
    nodes_left: u32,
    /// Height past which no node calls (the tree's depth target).
    max_height: u32,
    /// Variations applied to the case being built.
    tags: Vec<&'static str>,
    /// Whether the case being built may hold faults (escalations, bad
    /// writes and moves, failures, reentrancy); about half do.
    faulty: bool,
    /// Whether every node of the case being built calls on (a chain to
    /// the depth target).
    deep: bool,
}

impl TreeGen {
    /// A generator over `envs`, the node program `elf`.
    pub fn new(rng: ChaCha8Rng, envs: &[Environment], elf: &[u8]) -> Self {
        let mollusks = envs
            .iter()
            .map(|e| {
                let mut m = base_mollusk(e);
                for id in NODES {
                    m.add_program_with_loader_and_elf(&id, &LOADER_V2, elf);
                }
                m
            })
            .collect();
        Self {
            rng,
            mollusks,
            dropped: 0,
            owners: Vec::new(),
            pdas: NODES
                .iter()
                .map(|id| Pubkey::find_program_address(&[b"pda"], id))
                .collect(),
            nodes_left: 0,
            max_height: 0,
            tags: Vec::new(),
            faulty: false,
            deep: false,
        }
    }

    /// `n` cases.
    pub fn generate(&mut self, n: usize) -> Vec<Case> {
        let mut cases = Vec::new();
        while cases.len() < n {
            match self.case(cases.len()) {
                Some(c) => cases.push(c),
                None => self.dropped += 1,
            }
        }
        cases
    }

    /// A fault with probability `p`, in faulty cases only.
    fn fault(&mut self, p: f64) -> bool {
        self.faulty && self.rng.gen_bool(p)
    }

    fn tag(&mut self, t: &'static str) {
        if !self.tags.contains(&t) {
            self.tags.push(t);
        }
    }

    fn owner(&self, k: &Pubkey) -> Pubkey {
        self.owners
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, o)| *o)
            .unwrap_or(LOADER_V2)
    }

    fn case(&mut self, index: usize) -> Option<Case> {
        self.tags.clear();
        self.owners.clear();
        self.faulty = self.rng.gen_bool(0.5);
        self.deep = self.rng.gen_bool(0.25);
        // Five user accounts: a funded system account, one owned by each
        // node, a poorer system account.
        let mut accounts: Vec<(Pubkey, Account)> = Vec::new();
        let owners = [SYSTEM, NODES[0], NODES[1], NODES[2], SYSTEM];
        for (i, owner) in owners.iter().enumerate() {
            let key = Pubkey::new_from_array(self.rng.gen());
            let (lamports, len) = match i {
                0 => (10_000_000_000, 0),
                4 => (self.rng.gen_range(0..2_000_000), 0),
                _ => (
                    self.rng.gen_range(1_000_000..20_000_000),
                    self.rng.gen_range(1..16),
                ),
            };
            let data: Vec<u8> = (0..len).map(|_| self.rng.gen()).collect();
            accounts.push((
                key,
                Account {
                    lamports,
                    data,
                    owner: *owner,
                    executable: false,
                    rent_epoch: 0,
                },
            ));
            self.owners.push((key, *owner));
        }
        // Each node's PDA, a funded system account.
        for i in 0..NODES.len() {
            let key = self.pdas[i].0;
            let lamports = self.rng.gen_range(1_000_000..10_000_000);
            accounts.push((key, Account::new(lamports, 0, &SYSTEM)));
            self.owners.push((key, SYSTEM));
        }
        // The root's view: the programs (read-only) and the users with
        // random flags, the first user signing most of the time; sometimes
        // a duplicate meta.
        let mut top: Vec<Slot> = Vec::new();
        for id in NODES.iter().chain([&SYSTEM]) {
            top.push(Slot {
                key: *id,
                writable: false,
                signer: false,
            });
        }
        for (i, (key, _)) in accounts.iter().enumerate() {
            let pda = i >= owners.len();
            let signer = if i == 0 {
                self.rng.gen_bool(0.9)
            } else {
                !pda && self.rng.gen_bool(0.3)
            };
            let writable = self.rng.gen_bool(0.8);
            top.push(Slot {
                key: *key,
                writable,
                signer,
            });
        }
        if self.rng.gen_bool(0.15) {
            let i = self.rng.gen_range(4..top.len());
            let mut dup = top[i];
            dup.writable = self.rng.gen_bool(0.5);
            dup.signer = false;
            top.push(dup);
            self.tag("dup-meta");
        }
        if self.rng.gen_bool(0.3) {
            top.shuffle(&mut self.rng);
            self.tag("shuffled");
        }
        let root = self.rng.gen_range(0..NODES.len());
        self.max_height = match self.rng.gen_range(0..10) {
            0 => 6,
            1..=3 => 5,
            n => n - 3,
        };
        if self.deep {
            self.max_height = if self.rng.gen_bool(0.5) {
                6
            } else {
                self.rng.gen_range(4..=5)
            };
            self.tag("deep");
        }
        if self.max_height > 5 {
            self.tag("past-depth");
        }
        self.nodes_left = self.rng.gen_range(1..12);
        let view = merged(&top);
        let data = self.node(1, root, &view, &top, &[root]);
        let env = match self.rng.gen_range(0..12) {
            0 => 1,
            1 => 2,
            _ => 0,
        };
        if env != 0 {
            self.tag("budget");
        }
        for id in NODES {
            accounts.push((id, create_program_account_loader_v2(&[])));
        }
        accounts.push(keyed_account_for_system_program());
        let ix = Instruction {
            program_id: NODES[root],
            accounts: top
                .iter()
                .map(|s| AccountMeta {
                    pubkey: s.key,
                    is_signer: s.signer,
                    is_writable: s.writable,
                })
                .collect(),
            data,
        };
        if self.tags.is_empty() {
            self.tags.push("plain");
        }
        let name = format!("CallTree/{index:04}/{}", self.tags.join("+"));
        self.make_case(name, env, &ix, &accounts)
    }

    /// The case `name`: `ix` over `accounts` run in environment `env`.
    fn make_case(
        &mut self,
        name: String,
        env: usize,
        ix: &Instruction,
        accounts: &[(Pubkey, Account)],
    ) -> Option<Case> {
        let expected = run(&mut self.mollusks[env], ix, accounts)?;
        Some(Case {
            name,
            kind: "CallTree".into(),
            env,
            instruction: harness::instruction_ref(&ix.program_id, &ix),
            accounts: accounts.iter().map(|(k, a)| state(k, a)).collect(),
            expected,
        })
    }

    /// The operations of node `program` at `height`, whose instruction
    /// accounts are `metas` (privileges per key in `view`), with the
    /// programs on the stack `stack`.
    fn node(
        &mut self,
        height: u32,
        program: usize,
        view: &[Slot],
        metas: &[Slot],
        stack: &[usize],
    ) -> Vec<u8> {
        let mut ops = Vec::new();
        let me = NODES[program];
        let steps = self.rng.gen_range(1..6);
        let calls_before = self.nodes_left;
        for _ in 0..steps {
            match self.rng.gen_range(0..21) {
                0..=2 => {
                    let msg = format!("node {height} {}", self.rng.gen_range(0..1000));
                    ops.push(1);
                    ops.push(msg.len() as u8);
                    ops.extend_from_slice(msg.as_bytes());
                }
                3..=5 => {
                    let len = self.rng.gen_range(0..40);
                    ops.push(2);
                    ops.push(len);
                    ops.extend((0..len).map(|_| self.rng.gen::<u8>()));
                    self.tag("return-data");
                }
                6..=7 => {
                    ops.push(5);
                    self.tag("read-return");
                }
                8..=9 => {
                    // A data write: mostly on an account this node owns and
                    // may write.
                    let good: Vec<usize> = (0..metas.len())
                        .filter(|&i| {
                            let s = priv_of(view, &metas[i].key);
                            s.writable && self.owner(&metas[i].key) == me
                        })
                        .collect();
                    let idx = match good.choose(&mut self.rng) {
                        Some(&i) if !self.fault(0.2) => i,
                        _ if self.faulty => {
                            self.tag("write-bad");
                            self.rng.gen_range(0..metas.len())
                        }
                        _ => continue,
                    };
                    ops.extend_from_slice(&[6, idx as u8, self.rng.gen()]);
                    self.tag("write");
                }
                11 => {
                    // A resize of an account this node owns and may write.
                    let good: Vec<usize> = (0..metas.len())
                        .filter(|&i| {
                            priv_of(view, &metas[i].key).writable && self.owner(&metas[i].key) == me
                        })
                        .collect();
                    let idx = match good.choose(&mut self.rng) {
                        Some(&i) if !self.fault(0.2) => i,
                        _ if self.faulty => {
                            self.tag("resize-bad");
                            self.rng.gen_range(0..metas.len())
                        }
                        _ => continue,
                    };
                    // Mostly small; now and then about the 10 KiB a
                    // program may grow an account by, or far past it.
                    let len: u16 = if self.fault(0.25) {
                        self.tag("resize-large");
                        [10_240, 10_250, 10_255, 10_256, 20_000, 65_535][self.rng.gen_range(0..6)]
                    } else {
                        self.rng.gen_range(0..48)
                    };
                    ops.extend_from_slice(&[9, idx as u8]);
                    ops.extend_from_slice(&len.to_le_bytes());
                    self.tag("resize");
                }
                10 => {
                    // A lamport move out of an account this node owns.
                    let from: Vec<usize> = (0..metas.len())
                        .filter(|&i| {
                            priv_of(view, &metas[i].key).writable && self.owner(&metas[i].key) == me
                        })
                        .collect();
                    let to: Vec<usize> = (0..metas.len())
                        .filter(|&i| {
                            priv_of(view, &metas[i].key).writable && !is_program(&metas[i].key)
                        })
                        .collect();
                    let (f, t) = match (from.choose(&mut self.rng), to.choose(&mut self.rng)) {
                        (Some(&f), Some(&t)) if !self.fault(0.2) => (f, t),
                        _ if !self.faulty => continue,
                        _ => {
                            self.tag("move-bad");
                            (
                                self.rng.gen_range(0..metas.len()),
                                self.rng.gen_range(0..metas.len()),
                            )
                        }
                    };
                    ops.extend_from_slice(&[7, f as u8, t as u8, self.rng.gen_range(1..=255)]);
                    self.tag("move");
                }
                _ => {
                    if height < self.max_height && self.nodes_left > 0 {
                        self.nodes_left -= 1;
                        self.invoke(&mut ops, height, program, view, metas, stack);
                    }
                }
            }
        }
        if self.deep
            && calls_before == self.nodes_left
            && height < self.max_height
            && self.nodes_left > 0
        {
            self.nodes_left -= 1;
            self.invoke(&mut ops, height, program, view, metas, stack);
        }
        if self.fault(0.12) {
            let code = self.rng.gen_range(0..40);
            ops.extend_from_slice(&[3, code]);
            self.tag(if code == 0 { "early-exit" } else { "fails" });
        }
        ops
    }
}

fn is_program(k: &Pubkey) -> bool {
    NODES.contains(k) || *k == SYSTEM
}

/// Privileges per key (a key named twice has the union of its flags).
fn merged(metas: &[Slot]) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::new();
    for m in metas {
        match out.iter_mut().find(|s| s.key == m.key) {
            Some(s) => {
                s.writable |= m.writable;
                s.signer |= m.signer;
            }
            None => out.push(*m),
        }
    }
    out
}

fn priv_of(view: &[Slot], k: &Pubkey) -> Slot {
    view.iter().find(|s| s.key == *k).copied().unwrap_or(Slot {
        key: *k,
        writable: false,
        signer: false,
    })
}
