import type { ShippingAddress } from '@shop/contracts';
import { fieldError } from '../../ui/problem-message';
import { TextField } from '../../ui/text-field';
import { countries } from './countries';

export interface AddressDraft {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
}

export const addressFieldPaths = ['name', 'line1', 'line2', 'city', 'postalCode', 'country'].map(
  (field) => `shippingAddress.${field}`,
);

/** The address as the API takes it: trimmed, with an empty second line left out. */
export function shippingAddressOf(draft: AddressDraft): ShippingAddress {
  const line2 = draft.line2.trim();
  return {
    name: draft.name.trim(),
    line1: draft.line1.trim(),
    ...(line2 ? { line2 } : {}),
    city: draft.city.trim(),
    postalCode: draft.postalCode.trim(),
    country: draft.country,
  };
}

/** The shipping address fields, each with the API's message for it next to it. */
export function AddressFields({
  value,
  onChange,
  failure,
}: {
  value: AddressDraft;
  onChange: (next: AddressDraft) => void;
  failure: unknown;
}) {
  const set = (field: keyof AddressDraft) => (event: { target: { value: string } }) =>
    onChange({ ...value, [field]: event.target.value });
  const error = (field: keyof AddressDraft) => fieldError(failure, `shippingAddress.${field}`);
  const countryError = error('country');
  return (
    <fieldset className="form-grid">
      <legend>Shipping address</legend>
      <TextField
        label="Full name"
        autoComplete="name"
        required
        maxLength={100}
        value={value.name}
        onChange={set('name')}
        error={error('name')}
      />
      <TextField
        label="Address line 1"
        autoComplete="address-line1"
        required
        maxLength={200}
        value={value.line1}
        onChange={set('line1')}
        error={error('line1')}
      />
      <TextField
        label="Address line 2 (optional)"
        autoComplete="address-line2"
        maxLength={200}
        value={value.line2}
        onChange={set('line2')}
        error={error('line2')}
      />
      <TextField
        label="City"
        autoComplete="address-level2"
        required
        maxLength={100}
        value={value.city}
        onChange={set('city')}
        error={error('city')}
      />
      <TextField
        label="Postal code"
        autoComplete="postal-code"
        required
        maxLength={20}
        value={value.postalCode}
        onChange={set('postalCode')}
        error={error('postalCode')}
      />
      <div className="field">
        <label htmlFor="checkout-country">Country</label>
        <select
          id="checkout-country"
          autoComplete="country"
          value={value.country}
          onChange={set('country')}
          aria-invalid={countryError ? true : undefined}
          aria-describedby={countryError ? 'checkout-country-error' : undefined}
        >
          {countries.map((country) => (
            <option key={country.code} value={country.code}>
              {country.name} ({country.code})
            </option>
          ))}
        </select>
        {countryError && (
          <small id="checkout-country-error" className="field__error">
            {countryError}
          </small>
        )}
      </div>
    </fieldset>
  );
}
