/** The currencies offered for prices: those of the markets Vitrine's merchants sell in (ISO 4217). */
export const CURRENCIES = ["BRL", "USD", "EUR", "MXN", "ARS", "COP", "CLP", "PEN", "IDR", "INR", "EGP", "SAR", "AED", "MAD", "NGN", "KES", "ZAR", "TRY", "PKR", "BDT", "PHP", "MYR", "VND", "THB"];
