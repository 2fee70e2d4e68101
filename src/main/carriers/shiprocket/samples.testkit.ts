// Sample Shiprocket inputs (the client's input types) for tests.
import type { ShiprocketOrderInput, ShiprocketReturnInput } from './wire'

export function sampleShiprocketOrder(orderId: string, over: Partial<ShiprocketOrderInput> = {}): ShiprocketOrderInput {
  return {
    order_id: orderId,
    order_date: '2026-11-28 10:00',
    pickup_location: 'Primary',
    billing_customer_name: 'Priya',
    billing_last_name: 'Raman',
    billing_address: '12 Anna Salai',
    billing_city: 'Chennai',
    billing_pincode: 600002,
    billing_state: 'Tamil Nadu',
    billing_country: 'India',
    billing_email: 'priya@example.in',
    billing_phone: 9876543210,
    shipping_is_billing: true,
    order_items: [{ name: 'Cotton kurta', sku: 'KUR-42-M', units: 1, selling_price: 899 }],
    payment_method: 'Prepaid',
    sub_total: 899,
    length: 30,
    breadth: 20,
    height: 5,
    weight: 0.5,
    ...over
  }
}

/** The buyer sends it back ("pickup") to the warehouse ("shipping"). */
export function sampleShiprocketReturn(orderId: string, over: Partial<ShiprocketReturnInput> = {}): ShiprocketReturnInput {
  return {
    order_id: orderId,
    order_date: '2026-11-30',
    pickup_customer_name: 'Priya Raman',
    pickup_address: '12 Anna Salai',
    pickup_city: 'Chennai',
    pickup_state: 'Tamil Nadu',
    pickup_country: 'India',
    pickup_pincode: 600002,
    pickup_email: 'priya@example.in',
    pickup_phone: '9876543210',
    shipping_customer_name: 'Guichet Warehouse',
    shipping_address: 'Plot 7, Peenya Industrial Area',
    shipping_city: 'Bengaluru',
    shipping_country: 'India',
    shipping_pincode: 560058,
    shipping_state: 'Karnataka',
    shipping_phone: '8012345678',
    order_items: [{ name: 'Cotton kurta', sku: 'KUR-42-M', units: 1, selling_price: 899, discount: 0 }],
    payment_method: 'Prepaid',
    sub_total: 899,
    length: 30,
    breadth: 20,
    height: 5,
    weight: 0.5,
    ...over
  }
}
