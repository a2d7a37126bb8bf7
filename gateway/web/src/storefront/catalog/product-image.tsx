import { useState } from 'react';

/**
 * A product's picture, or its initial on a quiet tile when it has none or the picture cannot load
 * (the page's content security policy blocks other hosts' images, for one).
 */
export function ProductImage({
  url,
  name,
  className,
  alt = '',
}: {
  url: string | null;
  name: string;
  className: string;
  alt?: string;
}) {
  const [failed, setFailed] = useState(false);
  if (url && !failed)
    return (
      <img
        className={className}
        src={url}
        alt={alt}
        loading="lazy"
        onError={() => setFailed(true)}
      />
    );
  return (
    <div className={`${className} product-image--empty`} aria-hidden="true">
      {name.trim().slice(0, 1)}
    </div>
  );
}
