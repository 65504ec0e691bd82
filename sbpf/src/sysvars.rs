//! What the sysvar syscalls read: the account bytes of a sysvar
//! (`sol_get_sysvar`, bincode, as stored) and the `repr(C)` images the
//! getters write (`sol_get_rent_sysvar` and the like).

use baton_executor::{Clock, InvokeContext, Rent};
use baton_types::{ids, Pubkey};

/// The EpochSchedule sysvar's id.
pub const SYSVAR_EPOCH_SCHEDULE: Pubkey =
    Pubkey::from_str_const("SysvarEpochSchedu1e111111111111111111111111");

/// The epoch schedule. Baton keeps no EpochSchedule sysvar account; programs
/// see Solana's default schedule (mainnet's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochSchedule {
    /// Slots per epoch.
    pub slots_per_epoch: u64,
    /// Slots before an epoch its leader schedule is computed.
    pub leader_schedule_slot_offset: u64,
    /// Whether epochs start short and double.
    pub warmup: bool,
    /// First epoch of full length.
    pub first_normal_epoch: u64,
    /// First slot of that epoch.
    pub first_normal_slot: u64,
}

impl EpochSchedule {
    /// Solana's `EpochSchedule::default()`.
    pub const DEFAULT: EpochSchedule = EpochSchedule {
        slots_per_epoch: 432_000,
        leader_schedule_slot_offset: 432_000,
        warmup: true,
        first_normal_epoch: 14,
        first_normal_slot: 524_256,
    };

    /// The bincode bytes (33).
    pub fn account_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(33);
        b.extend_from_slice(&self.slots_per_epoch.to_le_bytes());
        b.extend_from_slice(&self.leader_schedule_slot_offset.to_le_bytes());
        b.push(self.warmup as u8);
        b.extend_from_slice(&self.first_normal_epoch.to_le_bytes());
        b.extend_from_slice(&self.first_normal_slot.to_le_bytes());
        b
    }

    /// The `repr(C)` image (40 bytes: the bool is padded to 8).
    pub fn image(&self) -> [u8; 40] {
        let mut b = [0u8; 40];
        b[0..8].copy_from_slice(&self.slots_per_epoch.to_le_bytes());
        b[8..16].copy_from_slice(&self.leader_schedule_slot_offset.to_le_bytes());
        b[16] = self.warmup as u8;
        b[24..32].copy_from_slice(&self.first_normal_epoch.to_le_bytes());
        b[32..40].copy_from_slice(&self.first_normal_slot.to_le_bytes());
        b
    }
}

/// Rent's `repr(C)` image (24 bytes: `burn_percent` padded to 8).
pub fn rent_image(rent: &Rent) -> [u8; 24] {
    let mut b = [0u8; 24];
    b[0..8].copy_from_slice(&rent.lamports_per_byte_year.to_le_bytes());
    b[8..16].copy_from_slice(&rent.exemption_threshold.to_le_bytes());
    b[16] = rent.burn_percent;
    b
}

/// Clock's `repr(C)` image (40 bytes).
pub fn clock_image(clock: &Clock) -> [u8; 40] {
    let mut b = [0u8; 40];
    b[0..8].copy_from_slice(&clock.slot.to_le_bytes());
    b[8..16].copy_from_slice(&clock.epoch_start_timestamp.to_le_bytes());
    b[16..24].copy_from_slice(&clock.epoch.to_le_bytes());
    b[24..32].copy_from_slice(&clock.leader_schedule_epoch.to_le_bytes());
    b[32..40].copy_from_slice(&clock.unix_timestamp.to_le_bytes());
    b
}

/// The account bytes of sysvar `id` as `sol_get_sysvar` serves them, or
/// `None` for a sysvar it does not serve (Agave's cache serves Clock,
/// EpochSchedule, EpochRewards, Rent, SlotHashes, StakeHistory and
/// LastRestartSlot; Baton has Clock, Rent, SlotHashes and the default
/// EpochSchedule). SlotHashes is its whole account, 20,488 bytes whatever
/// its count of entries, which programs read in slices
/// (`SlotHashesSysvar::position` reads the count, then entries).
pub fn account_bytes(ic: &InvokeContext<'_>, id: &Pubkey) -> Option<Vec<u8>> {
    if *id == ids::SYSVAR_RENT {
        let r = ic.rent();
        let mut b = Vec::with_capacity(17);
        b.extend_from_slice(&r.lamports_per_byte_year.to_le_bytes());
        b.extend_from_slice(&r.exemption_threshold.to_le_bytes());
        b.push(r.burn_percent);
        Some(b)
    } else if *id == ids::SYSVAR_CLOCK {
        Some(clock_image(ic.clock()).to_vec())
    } else if *id == SYSVAR_EPOCH_SCHEDULE {
        Some(EpochSchedule::DEFAULT.account_bytes())
    } else if *id == baton_executor::sysvar::SYSVAR_SLOT_HASHES {
        Some(ic.slot_hashes().account_data())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_have_agave_sizes() {
        assert_eq!(rent_image(&Rent::default()).len(), 24);
        assert_eq!(clock_image(&Clock::default()).len(), 40);
        assert_eq!(EpochSchedule::DEFAULT.account_bytes().len(), 33);
        // Rent's image starts with its bincode bytes (no padding before the u8).
        let r = Rent::default();
        let img = rent_image(&r);
        assert_eq!(&img[..8], &6_960u64.to_le_bytes());
        assert_eq!(&img[8..16], &1.0f64.to_le_bytes());
        assert_eq!(img[16], 50);
        assert!(img[17..].iter().all(|b| *b == 0));
    }
}
