//! An instruction built from the enum runs like the builder's.

use super::*;

#[test]
fn instruction_round_trips_through_the_program() {
    // An instruction built from the enum runs like the builder's.
    let env = Env::new();
    let accounts = vec![(key(1), sys(10)), (key(2), sys(0))];
    let ix = SystemInstruction::Transfer(Transfer { lamports: 4 })
        .into_instruction(sys::transfer(&key(1), &key(2), 0).accounts);
    assert_eq!(ix, sys::transfer(&key(1), &key(2), 4));
    let out = env.run(&accounts, &ix);
    assert_ok(&out);
    assert_eq!(acc(&out, &key(2)).lamports, 4);
}
