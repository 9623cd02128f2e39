// Package lab is the definition lab: it proves a lead definition against
// real outcomes (backtest) and learns a better one from them (learn).
//
// Data comes from a spreadsheet read exactly as `pista import` reads it
// (package importer: the same mapping, header suggestions and typing), so
// that the fields a learned definition's rules read are the fields a lead
// imported from the same file has. Outcomes are one column of that file.
//
// Everything here is deterministic for a given seed: the random split
// hashes the seed with the row number, so learn and backtest agree on which
// rows are held out without sharing any state.
package lab
