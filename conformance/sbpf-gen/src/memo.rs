//! The `memo` suite: Memo v2 (`sbpf/elf/memo.so`, loader v2) on seeded
//! memos and signer sets.

use mollusk_svm::program::loader_keys::LOADER_V2;
use mollusk_svm::Mollusk;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

use crate::fixture::{Case, Environment};
use crate::harness;
use crate::ptoken::{mollusk, run, state, SbpfProgram};

/// Memo v2.
pub const MEMO: SbpfProgram = SbpfProgram {
    name: "memo",
    id: Pubkey::from_str_const("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"),
    loader: LOADER_V2,
    elf: include_bytes!("../../../sbpf/elf/memo.so"),
    elf_path: "../../sbpf/elf/memo.so",
};

/// Compute limits: the default, then budgets a memo runs out of part way.
pub const BUDGETS: [u64; 5] = [200_000, 500, 5_000, 12_000, 20_000];

/// One environment per budget.
pub fn environments() -> Vec<Environment> {
    crate::budget_envs(&BUDGETS)
}

/// The case generator.
pub struct MemoGen {
    rng: ChaCha8Rng,
    mollusks: Vec<Mollusk>,
    /// Cases regenerated because Mollusk panicked.
    pub dropped: usize,
}

const WORDS: &[&str] = &[
    "hello", "baton", "memo", "é", "日本", "🚀", " ", "\"", "\\", "\n", "0",
];

impl MemoGen {
    /// A generator over `envs`.
    pub fn new(rng: ChaCha8Rng, envs: &[Environment]) -> Self {
        let mollusks = envs.iter().map(|e| mollusk(e, &MEMO)).collect();
        Self {
            rng,
            mollusks,
            dropped: 0,
        }
    }

    /// `n` cases.
    pub fn generate(&mut self, n: usize) -> Vec<Case> {
        let mut cases = Vec::new();
        let mut i = 0;
        while i < n {
            match self.case(i) {
                Some(c) => {
                    cases.push(c);
                    i += 1;
                }
                None => self.dropped += 1,
            }
        }
        cases
    }

    fn case(&mut self, index: usize) -> Option<Case> {
        let mut tags: Vec<String> = Vec::new();
        let data: Vec<u8> = match self.rng.gen_range(0..10) {
            0 => {
                tags.push("empty".into());
                Vec::new()
            }
            1 => {
                tags.push("invalid-utf8".into());
                let mut d = b"memo ".to_vec();
                d.push(self.rng.gen_range(0x80..=0xff));
                d.extend_from_slice(b" tail");
                d
            }
            2 => {
                tags.push("long".into());
                let n = self.rng.gen_range(200..600);
                (0..n).map(|_| self.rng.gen_range(b'a'..=b'z')).collect()
            }
            _ => {
                let n = self.rng.gen_range(1..12);
                let mut s = String::new();
                for _ in 0..n {
                    s.push_str(WORDS[self.rng.gen_range(0..WORDS.len())]);
                }
                s.into_bytes()
            }
        };
        let signers = self.rng.gen_range(0..=3);
        tags.push(format!("signers-{signers}"));
        let mut metas = Vec::new();
        let mut accounts = Vec::new();
        for _ in 0..signers {
            let k = Pubkey::new_from_array(self.rng.gen());
            let signs = !self.rng.gen_bool(0.15);
            if !signs {
                tags.push("unsigned".into());
            }
            metas.push(AccountMeta::new_readonly(k, signs));
            accounts.push((
                k,
                Account {
                    lamports: 1_000_000,
                    data: vec![],
                    owner: Pubkey::new_from_array([0; 32]),
                    executable: false,
                    rent_epoch: 0,
                },
            ));
        }
        let env = if self.rng.gen_bool(0.25) {
            tags.push("budget".into());
            self.rng.gen_range(1..BUDGETS.len())
        } else {
            0
        };
        tags.dedup();
        let ix = Instruction {
            program_id: MEMO.id,
            accounts: metas,
            data,
        };
        let expected = run(&mut self.mollusks[env], &ix, &accounts)?;
        Some(Case {
            name: format!("Memo/{index:04}/{}", tags.join("+")),
            kind: "Memo".into(),
            env,
            instruction: harness::instruction_ref(&MEMO.id, &ix),
            accounts: accounts.iter().map(|(k, a)| state(k, a)).collect(),
            expected,
        })
    }
}
