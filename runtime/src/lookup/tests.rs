use super::*;
use baton_executor::SlotHashes;

fn key(n: u8) -> Pubkey {
    Pubkey::new_from_array([n; 32])
}

/// A table account as the program writes it.
fn table(deactivation: u64, last_extended: u64, start_index: u8, n: u8) -> Account {
    let mut data = vec![1, 0, 0, 0];
    data.extend_from_slice(&deactivation.to_le_bytes());
    data.extend_from_slice(&last_extended.to_le_bytes());
    data.push(start_index);
    data.push(1);
    data.extend_from_slice(&[9; 32]);
    data.extend_from_slice(&[0, 0]);
    assert_eq!(data.len(), LOOKUP_TABLE_META_SIZE);
    for i in 0..n {
        data.extend_from_slice(&[100 + i; 32]);
    }
    Account {
        lamports: 1_000_000,
        data,
        owner: ids::ADDRESS_LOOKUP_TABLE_PROGRAM,
        executable: false,
        rent_epoch: 0,
    }
}

fn message(lookups: Vec<(u8, Vec<u8>, Vec<u8>)>) -> Message {
    Message {
        account_keys: vec![key(1)],
        address_table_lookups: lookups
            .into_iter()
            .map(|(t, w, r)| MessageAddressTableLookup {
                account_key: key(t),
                writable_indexes: w,
                readonly_indexes: r,
            })
            .collect(),
        ..Message::default()
    }
}

fn hashes(slots: &[u64]) -> SlotHashes {
    SlotHashes(
        slots
            .iter()
            .map(|&slot| baton_executor::SlotHash {
                slot,
                hash: SlotHashes::stand_in_hash(slot),
            })
            .collect(),
    )
}

fn run(
    m: &Message,
    tables: &[(u8, Account)],
    slot: u64,
    sh: &SlotHashes,
) -> Result<LoadedAddresses, TransactionError> {
    resolve(
        m,
        &mut |k, f| {
            f(tables
                .iter()
                .find(|(t, _)| key(*t) == *k)
                .map(|(_, a)| a.view()))
        },
        slot,
        sh,
    )
}

#[test]
fn writable_entries_of_every_table_come_before_read_only_ones() {
    let m = message(vec![(7, vec![2], vec![0]), (8, vec![1], vec![3, 0])]);
    let tables = [(7, table(u64::MAX, 1, 0, 4)), (8, table(u64::MAX, 1, 0, 4))];
    let loaded = run(&m, &tables, 10, &hashes(&[])).unwrap();
    let addr = |n: u8| Pubkey::new_from_array([100 + n; 32]);
    assert_eq!(loaded.writable, vec![addr(2), addr(1)]);
    assert_eq!(loaded.readonly, vec![addr(0), addr(3), addr(0)]);
}

#[test]
fn a_missing_or_emptied_table_is_not_found() {
    let m = message(vec![(7, vec![0], vec![])]);
    assert_eq!(
        run(&m, &[], 10, &hashes(&[])),
        Err(TransactionError::AddressLookupTableNotFound)
    );
    let mut t = table(u64::MAX, 1, 0, 1);
    t.lamports = 0;
    assert_eq!(
        run(&m, &[(7, t)], 10, &hashes(&[])),
        Err(TransactionError::AddressLookupTableNotFound)
    );
}

#[test]
fn a_table_of_another_owner_is_refused() {
    let m = message(vec![(7, vec![0], vec![])]);
    let mut t = table(u64::MAX, 1, 0, 1);
    t.owner = ids::SYSTEM_PROGRAM;
    assert_eq!(
        run(&m, &[(7, t)], 10, &hashes(&[])),
        Err(TransactionError::InvalidAddressLookupTableOwner)
    );
}

#[test]
fn malformed_table_data_is_refused() {
    let m = message(vec![(7, vec![0], vec![])]);
    type Edit = Box<dyn Fn(&mut Vec<u8>)>;
    let cases: Vec<Edit> = vec![
        Box::new(|d| d[0] = 0),            // uninitialized
        Box::new(|d| d[0] = 2),            // no such variant
        Box::new(|d| d[21] = 2),           // bad option tag
        Box::new(|d| d.truncate(40)),      // header cut short
        Box::new(|d| d.truncate(56 + 31)), // a partial address
    ];
    for (n, edit) in cases.iter().enumerate() {
        let mut t = table(u64::MAX, 1, 0, 1);
        edit(&mut t.data);
        assert_eq!(
            run(&m, &[(7, t)], 10, &hashes(&[])),
            Err(TransactionError::InvalidAddressLookupTableData),
            "case {n}"
        );
    }
}

#[test]
fn an_index_past_the_active_addresses_is_refused() {
    let m = message(vec![(7, vec![], vec![4])]);
    assert_eq!(
        run(&m, &[(7, table(u64::MAX, 1, 0, 4))], 10, &hashes(&[])),
        Err(TransactionError::InvalidAddressLookupTableIndex)
    );
}

#[test]
fn addresses_appended_in_the_current_slot_wait_for_the_next() {
    let m = message(vec![(7, vec![3], vec![])]);
    // Extended in slot 10 from 2 to 4 addresses.
    let t = table(u64::MAX, 10, 2, 4);
    assert_eq!(
        run(&m, &[(7, t.clone())], 10, &hashes(&[])),
        Err(TransactionError::InvalidAddressLookupTableIndex)
    );
    assert!(run(&m, &[(7, t)], 11, &hashes(&[10])).is_ok());
}

#[test]
fn a_deactivated_table_serves_until_its_slot_leaves_slot_hashes() {
    let m = message(vec![(7, vec![0], vec![])]);
    let t = table(20, 1, 0, 1);
    // Deactivated in the current slot, or in a slot still listed.
    assert!(run(&m, &[(7, t.clone())], 20, &hashes(&[19, 18])).is_ok());
    assert!(run(&m, &[(7, t.clone())], 30, &hashes(&[29, 25, 20, 3])).is_ok());
    // Once the slot has left SlotHashes it is gone.
    assert_eq!(
        run(&m, &[(7, t)], 600, &hashes(&[599, 598])),
        Err(TransactionError::AddressLookupTableNotFound)
    );
}

#[test]
fn tables_the_sdk_encodes_resolve() {
    use baton_sdk::address_lookup_table::LookupTableMeta;
    let m = message(vec![(7, vec![1], vec![0])]);
    for authority in [None, Some(key(9))] {
        let addresses = [key(40), key(41)];
        let account = Account {
            lamports: 1,
            data: LookupTableMeta::active(authority, 3).encode(&addresses),
            owner: ids::ADDRESS_LOOKUP_TABLE_PROGRAM,
            executable: false,
            rent_epoch: 0,
        };
        let loaded = run(&m, &[(7, account)], 4, &hashes(&[3])).unwrap();
        assert_eq!(loaded.writable, vec![key(41)]);
        assert_eq!(loaded.readonly, vec![key(40)]);
    }
}
