package demo

import "math/rand/v2"

// phonePlan is a country's numbering plan, as far as the generator needs
// it to write numbers that libphonenumber accepts as valid.
type phonePlan uint8

const (
	planCO phonePlan = iota
	planMX
	planBR
	planAR
	planCL
	planPE
	planNANP // US and Canada
	planES
)

// mobilePrefixesCO are Colombian mobile ranges in service (3xx).
var mobilePrefixesCO = []string{"300", "301", "302", "304", "305", "310", "311", "312", "313", "314",
	"315", "316", "317", "318", "319", "320", "321", "322", "323", "350", "351"}

// phone writes a number valid in c's numbering plan the way people type
// it: in national format with the local punctuation (33% E.164, mostly
// with spaces). Mobile numbers dominate in Latin America.
func phone(r *rand.Rand, c *country, ct *city) string {
	mobileShare := 0.75
	switch c.phone {
	case planNANP:
		mobileShare = 0.5
	case planES:
		mobileShare = 0.65
	}
	mobile := chance(r, mobileShare)
	intl := chance(r, 0.33)
	switch c.phone {
	case planCO:
		if mobile {
			p, rest := one(r, mobilePrefixesCO), digits(r, 7, '2')
			if intl {
				return "+57 " + p + " " + rest[:3] + " " + rest[3:]
			}
			return pick(r, []w[string]{{p + " " + rest[:3] + " " + rest[3:], 3}, {p + rest, 2}, {p + "-" + rest[:3] + "-" + rest[3:], 1}})
		}
		rest := digits(r, 7, '2')
		if intl {
			return "+57 " + ct.area + " " + rest[:3] + " " + rest[3:]
		}
		return "(" + ct.area + ") " + rest[:3] + " " + rest[3:]
	case planMX:
		rest := digits(r, 10-len(ct.area), '2')
		split := len(rest) - 4
		if intl {
			return "+52 " + ct.area + " " + rest[:split] + " " + rest[split:]
		}
		return pick(r, []w[string]{{ct.area + " " + rest[:split] + " " + rest[split:], 3}, {ct.area + rest, 1}, {"(" + ct.area + ") " + rest[:split] + "-" + rest[split:], 1}})
	case planBR:
		var local string
		if mobile {
			local = "9" + digits(r, 8, '6')
		} else {
			local = digits(r, 8, '2')
			local = string("2345"[r.IntN(4)]) + local[1:]
		}
		split := len(local) - 4
		if intl {
			return pick(r, []w[string]{{"+55 " + ct.area + " " + local[:split] + "-" + local[split:], 2}, {"+55" + ct.area + local, 1}})
		}
		return pick(r, []w[string]{{"(" + ct.area + ") " + local[:split] + "-" + local[split:], 3}, {ct.area + " " + local, 1}})
	case planAR:
		n := 10 - len(ct.area)
		local := digits(r, n, '4')
		if mobile {
			local = digits(r, n, '2')
			local = string("3456"[r.IntN(4)]) + local[1:]
			if intl || chance(r, 0.5) {
				return "+54 9 " + ct.area + " " + local[:n-4] + "-" + local[n-4:]
			}
			return "0" + ct.area + " 15-" + local[:n-4] + "-" + local[n-4:]
		}
		local = string("45"[r.IntN(2)]) + local[1:]
		if intl {
			return "+54 " + ct.area + " " + local[:n-4] + "-" + local[n-4:]
		}
		return "0" + ct.area + " " + local[:n-4] + "-" + local[n-4:]
	case planCL:
		if mobile {
			local := one(r, []string{"6", "7", "8", "9"})
			switch local {
			case "6":
				local += string("012345678"[r.IntN(9)])
			case "7":
				local += string("123456789"[r.IntN(9)])
			case "9":
				local += string("3456789"[r.IntN(7)])
			default:
				local += string("123456789"[r.IntN(9)])
			}
			local += digits(r, 6, '0')
			if intl {
				return "+56 9 " + local[:4] + " " + local[4:]
			}
			return "9 " + local[:4] + " " + local[4:]
		}
		local := "2" + digits(r, 9-len(ct.area)-1, '0')
		if intl {
			return "+56 " + ct.area + " " + local
		}
		return "(" + ct.area + ") " + local
	case planPE:
		if mobile {
			local := "9" + digits(r, 8, '0')
			if intl {
				return "+51 " + local[:3] + " " + local[3:6] + " " + local[6:]
			}
			return local[:3] + " " + local[3:6] + " " + local[6:]
		}
		n := 8 - len(ct.area)
		if ct.area == "1" {
			n = 7
		}
		local := digits(r, n, '2')
		local = string("2345678"[r.IntN(7)]) + local[1:]
		if intl {
			return "+51 " + ct.area + " " + local
		}
		return "(0" + ct.area + ") " + local
	case planNANP:
		ex := nanpExchange(r)
		line := digits(r, 4, '0')
		if intl {
			return pick(r, []w[string]{{"+1 " + ct.area + " " + ex + " " + line, 2}, {"+1" + ct.area + ex + line, 1}, {"+1-" + ct.area + "-" + ex + "-" + line, 1}})
		}
		return pick(r, []w[string]{{"(" + ct.area + ") " + ex + "-" + line, 3}, {ct.area + "-" + ex + "-" + line, 2}, {ct.area + "." + ex + "." + line, 1}})
	case planES:
		var num string
		if mobile {
			num = "6" + digits(r, 8, '0')
		} else {
			num = ct.area + digits(r, 7, '2')
		}
		if intl {
			return "+34 " + num[:3] + " " + num[3:6] + " " + num[6:]
		}
		return num[:3] + " " + num[3:5] + " " + num[5:7] + " " + num[7:]
	}
	return ""
}

// nanpExchange is a central-office code: 2-9 first, never N11 (service
// codes) nor 555 (reserved for fiction and directory assistance).
func nanpExchange(r *rand.Rand) string {
	for {
		ex := digits(r, 3, '2')
		if ex[1:] != "11" && ex != "555" {
			return ex
		}
	}
}

// digits returns n random digits, the first one at least minFirst.
func digits(r *rand.Rand, n int, minFirst byte) string {
	b := make([]byte, n)
	for i := range b {
		lo := byte('0')
		if i == 0 {
			lo = minFirst
		}
		b[i] = lo + byte(r.IntN(int('9'-lo)+1))
	}
	return string(b)
}
