// Package contractcheck is empty on purpose: ../shared/contract/check-contract
// lays the contract's signature files over this folder and compiles them, so
// that the public API can be checked against CONTRACT.md without writing
// anything into the tree.
package contractcheck
