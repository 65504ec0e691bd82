//! `cpi = [...]`: the calls of the suite's generic sBPF caller,
//! `scenarios/asm/invoke.s`, encoded as its instruction data.
//!
//! Each call becomes one record: a header, an image of the C-ABI
//! structures `sol_invoke_signed_c` reads (the `SolInstruction`, its
//! metas, program id and data, the `SolAccountInfo`s and the signer seeds)
//! and relocations. The program copies the image to the heap and patches
//! it: pointers inside the image become heap addresses, and pointers to
//! (and values of) the fields of its serialized accounts are filled in at
//! run time. The layout is described at the top of `invoke.s`.

use baton_programs::system;
use baton_types::{AccountMeta, Pubkey};

use crate::resolve::Resolver;
use crate::scripted;
use crate::spec::{CpiBytesSpec, CpiSpec};
use crate::ScenarioError;

/// The heap bytes below the program's table of record addresses.
const MAX_IMAGE: usize = 30_720;

/// Offsets of the fields of a serialized account record (aligned layout).
const FLAGS: u16 = 1;
const KEY: u16 = 8;
const OWNER: u16 = 40;
const LAMPORTS: u16 = 72;
const DATA_LEN: u16 = 80;
const DATA: u32 = 88;

/// The relocation kinds of `invoke.s`.
const IMAGE_PTR: u8 = 0;
const FIELD_PTR: u8 = 1;
const FIELD_VALUE: u8 = 2;
const WRITE_BYTE: u8 = 3;
const CREDIT: u8 = 4;
const DEBIT: u8 = 5;
const EXPECT_BYTE: u8 = 6;

#[derive(Default)]
struct Image {
    bytes: Vec<u8>,
    relocs: Vec<[u8; 8]>,
}

impl Image {
    /// `len` zero bytes at the next 8-aligned offset.
    fn alloc(&mut self, len: usize) -> usize {
        let at = self.bytes.len().next_multiple_of(8);
        self.bytes.resize(at + len, 0);
        at
    }

    fn put(&mut self, at: usize, bytes: &[u8]) {
        self.bytes[at..at + bytes.len()].copy_from_slice(bytes);
    }

    fn reloc(&mut self, kind: u8, index: u8, arg: u16, off: u32) {
        let mut r = [kind, index, 0, 0, 0, 0, 0, 0];
        r[2..4].copy_from_slice(&arg.to_le_bytes());
        r[4..8].copy_from_slice(&off.to_le_bytes());
        self.relocs.push(r);
    }

    /// The u64 at `at` becomes the heap address of image offset `target`.
    fn image_ptr(&mut self, at: usize, target: usize) {
        // Both offsets are below MAX_IMAGE, checked before encoding.
        self.reloc(IMAGE_PTR, 0, target as u16, at as u32);
    }
}

impl Resolver<'_> {
    /// The data of `invoke.s` making `calls`, whose account names resolve
    /// against `frame` (the keys of the calling instruction's accounts).
    pub(crate) fn cpi(
        &self,
        calls: &[CpiSpec],
        frame: &[Pubkey],
        ctx: &str,
    ) -> Result<Vec<u8>, ScenarioError> {
        let mut out = Vec::new();
        for (i, call) in calls.iter().enumerate() {
            let ctx = format!("{ctx}, cpi {i}");
            out.extend(self.cpi_record(call, frame, &ctx)?);
        }
        Ok(out)
    }

    /// The caller's index of the account `name`, which must be among its
    /// accounts (`what` says what needs it).
    fn frame_index(
        &self,
        name: &str,
        frame: &[Pubkey],
        what: &str,
        ctx: &str,
    ) -> Result<u8, ScenarioError> {
        let key = self.key(name, ctx)?;
        frame
            .iter()
            .position(|k| *k == key)
            .and_then(|p| u8::try_from(p).ok())
            .ok_or_else(|| {
                self.invalid(format!(
                    "{ctx}: {what} '{name}' must be one of the caller's first 256 accounts"
                ))
            })
    }

    fn cpi_record(
        &self,
        call: &CpiSpec,
        frame: &[Pubkey],
        ctx: &str,
    ) -> Result<Vec<u8>, ScenarioError> {
        let forms = [
            call.data.is_some(),
            call.script.is_some(),
            call.cpi.is_some(),
            call.transfer.is_some(),
        ];
        if forms.iter().filter(|f| **f).count() > 1 {
            return Err(self.invalid(format!(
                "{ctx}: give at most one of data, script, cpi, transfer"
            )));
        }
        let program = match (&call.program, &call.transfer) {
            (Some(p), _) => self.key(p, ctx)?,
            (None, Some(_)) => baton_types::ids::SYSTEM_PROGRAM,
            (None, None) => return Err(self.invalid(format!("{ctx}: needs a program"))),
        };
        let mut metas: Vec<AccountMeta> = match &call.accounts {
            Some(a) => self.metas(a, ctx)?,
            None => Vec::new(),
        };
        let callee_frame: Vec<Pubkey> = metas.iter().map(|m| m.pubkey).collect();
        let data = if let Some(t) = &call.transfer {
            let from = self.key(&t.from, ctx)?;
            let to = self.key(&t.to, ctx)?;
            let ix = system::instruction::transfer(&from, &to, self.u64(&t.lamports, ctx)?);
            if call.accounts.is_none() {
                metas = ix.accounts.clone();
            }
            ix.data
        } else if let Some(d) = &call.data {
            self.bytes(d, ctx)?
        } else if let Some(s) = &call.script {
            scripted::encode(&self.script(s, &callee_frame, &format!("{ctx}, script"))?)
        } else if let Some(c) = &call.cpi {
            self.cpi(c, &callee_frame, ctx)?
        } else {
            Vec::new()
        };
        // The account infos: as given, or one per distinct meta account.
        let infos: Vec<Pubkey> = match &call.infos {
            Some(i) => self.metas(i, ctx)?.iter().map(|m| m.pubkey).collect(),
            None => {
                let mut keys: Vec<Pubkey> = Vec::new();
                for m in &metas {
                    if !keys.contains(&m.pubkey) && frame.contains(&m.pubkey) {
                        keys.push(m.pubkey);
                    }
                }
                keys
            }
        };
        let mut seeds = Vec::new();
        for set in &call.seeds {
            seeds.push(
                set.iter()
                    .map(|s| self.bytes(s, ctx))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        for name in &call.pda_signers {
            seeds.push(self.pda_seeds(name, ctx)?);
        }
        // Bound the image before building it (an upper bound: the
        // structures, the keys written inline, the data and the padding
        // of every allocation), so that every offset fits below the table.
        let seed_bytes: usize = seeds
            .iter()
            .map(|s| 16 + s.iter().map(|b| b.len() + 23).sum::<usize>())
            .sum();
        let size = 96 + 48 * metas.len() + 56 * infos.len() + data.len() + seed_bytes;
        if size > MAX_IMAGE {
            return Err(self.invalid(format!(
                "{ctx}: the call's structures take about {size} bytes; invoke.s has {MAX_IMAGE}"
            )));
        }

        let mut img = Image::default();
        // SolInstruction: program_id_addr, accounts_addr, accounts_len,
        // data_addr, data_len.
        let ix = img.alloc(40);
        let id = img.alloc(32);
        img.put(id, program.as_array());
        img.image_ptr(ix, id);
        // SolAccountMeta: pubkey_addr, is_writable, is_signer. A key among
        // the caller's accounts points at its serialized key, another one
        // at a copy in the image.
        let metas_at = img.alloc(16 * metas.len());
        img.image_ptr(ix + 8, metas_at);
        img.put(ix + 16, &(metas.len() as u64).to_le_bytes());
        for (i, m) in metas.iter().enumerate() {
            let at = metas_at + 16 * i;
            match frame.iter().position(|k| *k == m.pubkey) {
                Some(p) if p < 256 => img.reloc(FIELD_PTR, p as u8, KEY, at as u32),
                _ => {
                    let k = img.alloc(32);
                    img.put(k, m.pubkey.as_array());
                    img.image_ptr(at, k);
                }
            }
            img.put(at + 8, &[u8::from(m.is_writable), u8::from(m.is_signer)]);
        }
        let data_at = img.alloc(data.len());
        img.put(data_at, &data);
        img.image_ptr(ix + 24, data_at);
        img.put(ix + 32, &(data.len() as u64).to_le_bytes());
        // SolAccountInfo: key, lamports, data_len, data, owner, rent_epoch,
        // is_signer, is_writable, executable; all from the serialized record.
        let infos_at = img.alloc(56 * infos.len());
        for (i, key) in infos.iter().enumerate() {
            let p = frame
                .iter()
                .position(|k| k == key)
                .and_then(|p| u8::try_from(p).ok())
                .ok_or_else(|| {
                    self.invalid(format!(
                        "{ctx}: infos: {key} is not one of the caller's first 256 accounts"
                    ))
                })?;
            let at = (infos_at + 56 * i) as u32;
            img.reloc(FIELD_PTR, p, KEY, at);
            img.reloc(FIELD_PTR, p, LAMPORTS, at + 8);
            img.reloc(FIELD_VALUE, p, DATA_LEN, at + 16);
            img.reloc(FIELD_PTR, p, DATA as u16, at + 24);
            img.reloc(FIELD_PTR, p, OWNER, at + 32);
            // The three flag bytes (and padding) in one u64.
            img.reloc(FIELD_VALUE, p, FLAGS, at + 48);
        }
        // SolSignerSeeds: addr, len of SolSignerSeed: addr, len.
        let sets_at = img.alloc(16 * seeds.len());
        for (j, set) in seeds.iter().enumerate() {
            let arr = img.alloc(16 * set.len());
            img.image_ptr(sets_at + 16 * j, arr);
            img.put(sets_at + 16 * j + 8, &(set.len() as u64).to_le_bytes());
            for (i, seed) in set.iter().enumerate() {
                let b = img.alloc(seed.len());
                img.put(b, seed);
                img.image_ptr(arr + 16 * i, b);
                img.put(arr + 16 * i + 8, &(seed.len() as u64).to_le_bytes());
            }
        }
        img.alloc(0);
        debug_assert!(img.bytes.len() <= size);

        // The caller's own writes before the call, checks after it.
        for (list, kind) in [(&call.write, WRITE_BYTE), (&call.expect_data, EXPECT_BYTE)] {
            for w in list {
                self.byte_relocs(&mut img, w, kind, frame, ctx)?;
            }
        }
        for (list, kind) in [(&call.credit, CREDIT), (&call.debit, DEBIT)] {
            for l in list {
                let p = self.frame_index(&l.account, frame, "credit/debit account", ctx)?;
                img.reloc(kind, p, 0, l.lamports);
            }
        }

        let mut out = vec![call.calls.unwrap_or(1), u8::from(call.return_data), 0, 0];
        for v in [
            img.bytes.len(),
            img.relocs.len(),
            ix,
            infos_at,
            infos.len(),
            sets_at,
            seeds.len(),
        ] {
            out.extend_from_slice(&(v as u32).to_le_bytes());
        }
        out.extend_from_slice(&img.bytes);
        for r in &img.relocs {
            out.extend_from_slice(r);
        }
        Ok(out)
    }

    fn byte_relocs(
        &self,
        img: &mut Image,
        w: &CpiBytesSpec,
        kind: u8,
        frame: &[Pubkey],
        ctx: &str,
    ) -> Result<(), ScenarioError> {
        let p = self.frame_index(&w.account, frame, "written or checked account", ctx)?;
        let bytes = self.bytes(&w.bytes, ctx)?;
        self.budget(bytes.len(), 8, ctx)?;
        for (i, b) in bytes.iter().enumerate() {
            let off = u32::try_from(i)
                .ok()
                .and_then(|i| DATA.checked_add(w.offset)?.checked_add(i))
                .ok_or_else(|| self.invalid(format!("{ctx}: offset too large")))?;
            img.reloc(kind, p, u16::from(*b), off);
        }
        Ok(())
    }
}
