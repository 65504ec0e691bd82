//! Whole transactions: the token program beside the system program
//! through `process_message`.

use super::*;

#[test]
fn a_transaction_creates_a_mint_and_accounts_with_the_system_program() {
    use baton_executor::process_message;
    use baton_programs::system::{self, SystemProgram};
    use baton_types::Message;
    use std::collections::HashMap;

    let mut env = Env::new();
    env.programs.add(system::ID, Arc::new(SystemProgram));
    let payer = ALICE;
    let r = rent();
    let ixs = [
        system::instruction::create_account(
            &payer,
            &MINT,
            r.minimum_balance(Mint::LEN),
            Mint::LEN as u64,
            &token::ID,
        ),
        tok::initialize_mint2(&MINT, &payer, None, DECIMALS),
        system::instruction::create_account(
            &payer,
            &A,
            r.minimum_balance(TokenAccount::LEN),
            TokenAccount::LEN as u64,
            &token::ID,
        ),
        tok::initialize_account3(&A, &MINT, &BOB),
        tok::mint_to_checked(&MINT, &A, &payer, 42, DECIMALS),
        tok::set_authority(&MINT, None, AuthorityType::MintTokens, &payer),
    ];
    let message = Message::new(&ixs, Some(&payer));
    let mut store: HashMap<Pubkey, Account> = HashMap::new();
    store.insert(payer, system_account(1_000_000_000));
    for program in [system::ID, token::ID] {
        let loaded = Account {
            lamports: 1,
            owner: ids::NATIVE_LOADER,
            executable: true,
            ..Account::default()
        };
        store.insert(program, loaded);
    }
    let out = process_message(
        &message,
        &|k: &Pubkey| store.get(k).cloned(),
        Environment {
            programs: &env.programs,
            sysvars: &env.sysvars,
            config: &env.config,
        },
    )
    .unwrap();
    assert_eq!(out.status, Ok(()), "logs: {:?}", out.logs);
    store.extend(out.changes);
    let acc = TokenAccount::unpack(&store[&A].data).unwrap();
    assert_eq!((acc.mint, acc.owner, acc.amount), (MINT, BOB, 42));
    let mint = Mint::unpack(&store[&MINT].data).unwrap();
    assert_eq!((mint.supply, mint.mint_authority), (42, None));
    assert_eq!(store[&MINT].owner, token::ID);
}
