package exportcontacts

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// nameMode says how DisplayName/ExternalUri attributes are encoded.
type nameMode int

const (
	plainNames  nameMode = iota // DBImpExp: plain text
	base64Names                 // DocItemSet.xml: base64 of UTF-8
	detectNames                 // HomedResources root: plain unless the "~" group is spelled "fg=="
)

const lcdPrefix = "urn:lcd:" // DocItem holding a user's contact list

// errStop unwinds the parser after fn returned an error (kept in xmlParser.fnErr).
var errStop = errors.New("stopped")

// xmlParser walks one XML document with encoding/xml's Token, which checks the
// nesting; elements are matched by local name, namespaces ignored (the real files
// carry default namespaces). Each HomedResource is read whole with DecodeElement:
// one owner's list is in memory at a time.
type xmlParser struct {
	d     *xml.Decoder
	fn    func(*contactList) error
	fnErr error
}

// homedResourceXML is what the export reads of one HomedResource; other children,
// and the children of a ContactGroup or Contact, are ignored.
type homedResourceXML struct {
	Groups   []rawGroup   `xml:"ContactGroups>ContactGroup"`
	Contacts []rawContact `xml:"Contacts>Contact"`
}

type rawGroup struct {
	Number string `xml:"Number,attr"`
	Name   string `xml:"DisplayName,attr"`
	Ext    string `xml:"ExternalUri,attr"`
}

type rawContact struct {
	Buddy   string `xml:"Buddy,attr"`
	Name    string `xml:"DisplayName,attr"`
	AltName string `xml:"Name,attr"` // OCS-era exports name the nickname "Name"
	Groups  string `xml:"Groups,attr"`
}

// readXML reads one document. Errors name the document, except errors from fn (returned
// as is) and errNotContactData (wrapped, for the caller to name).
func readXML(br *bufio.Reader, name string, fn func(*contactList) error) error {
	text, err := textReader(br)
	if err != nil {
		return fmt.Errorf("read export %s: %w", name, err)
	}
	d := xml.NewDecoder(text)
	d.CharsetReader = declaredCharset
	p := &xmlParser{d: d, fn: fn}
	root, err := p.root()
	if err != nil {
		if errors.Is(err, errNotContactData) {
			return err
		}
		return fmt.Errorf("read export %s: %w", name, err)
	}
	switch root.Name.Local {
	case "DocItemSet":
		err = p.docItemSet(root)
	case "HomedResources":
		err = p.homedResources(root)
	case "HomedResource":
		err = p.homedResource(root, attr(root, "UserAtHost"), detectNames)
	default:
		return fmt.Errorf("root element <%s>: %w", root.Name.Local, errNotContactData)
	}
	if p.fnErr != nil {
		return p.fnErr
	}
	if err != nil {
		return fmt.Errorf("read export %s: %w", name, err)
	}
	return nil
}

func (p *xmlParser) root() (xml.StartElement, error) {
	for {
		t, err := p.d.Token()
		if err == io.EOF {
			return xml.StartElement{}, fmt.Errorf("no XML element: %w", errNotContactData)
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := t.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// child returns the next child element of parent, ok=false at parent's end.
func (p *xmlParser) child(parent xml.StartElement) (se xml.StartElement, ok bool, err error) {
	for {
		t, err := p.d.Token()
		if err != nil {
			return se, false, ended(err, parent)
		}
		switch t := t.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement: // Token checked that it closes parent
			return se, false, nil
		}
	}
}

// skip consumes the rest of the element se, whose start was just read.
func (p *xmlParser) skip(se xml.StartElement) error {
	return ended(p.d.Skip(), se)
}

// ended names the open element when the file ends inside it.
func ended(err error, open xml.StartElement) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) && se.Msg == "unexpected EOF" || err == io.EOF {
		return fmt.Errorf("file ends inside <%s>", open.Name.Local)
	}
	return err
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// docItemSet: DocItemSet > DocItem[@Name="urn:lcd:user@domain"] > Data > HomedResource.
// Other DocItems (urn:hcd:, urn:upc:, …) are skipped whole.
func (p *xmlParser) docItemSet(root xml.StartElement) error {
	for {
		se, ok, err := p.child(root)
		if err != nil || !ok {
			return err
		}
		name := attr(se, "Name")
		if se.Name.Local != "DocItem" || len(name) < len(lcdPrefix) || !strings.EqualFold(name[:len(lcdPrefix)], lcdPrefix) {
			if err := p.skip(se); err != nil {
				return err
			}
			continue
		}
		if err := p.docItem(se, name[len(lcdPrefix):]); err != nil {
			return err
		}
	}
}

func (p *xmlParser) docItem(item xml.StartElement, owner string) error {
	found := false
	for {
		se, ok, err := p.child(item)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if se.Name.Local != "Data" {
			if err := p.skip(se); err != nil {
				return err
			}
			continue
		}
		for {
			hr, ok, err := p.child(se)
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			if hr.Name.Local != "HomedResource" {
				if err := p.skip(hr); err != nil {
					return err
				}
				continue
			}
			found = true
			if err := p.homedResource(hr, owner, base64Names); err != nil {
				return err
			}
		}
	}
	if !found { // the user is in the export, with nothing on the list
		return p.emit(&contactList{Owner: ownerAddress(owner)})
	}
	return nil
}

// homedResources: HomedResources > HomedResource[@UserAtHost] (DBImpExp, per-user exports).
func (p *xmlParser) homedResources(root xml.StartElement) error {
	for {
		se, ok, err := p.child(root)
		if err != nil || !ok {
			return err
		}
		if se.Name.Local != "HomedResource" {
			if err := p.skip(se); err != nil {
				return err
			}
			continue
		}
		if err := p.homedResource(se, attr(se, "UserAtHost"), detectNames); err != nil {
			return err
		}
	}
}

// homedResource reads one owner's ContactGroups and Contacts and hands the list to fn.
func (p *xmlParser) homedResource(hr xml.StartElement, owner string, mode nameMode) error {
	var x homedResourceXML
	if err := p.d.DecodeElement(&x, &hr); err != nil {
		return ended(err, hr)
	}
	return p.emit(build(x, owner, mode))
}

func (p *xmlParser) emit(cl *contactList) error {
	if err := p.fn(cl); err != nil {
		p.fnErr = err
		return errStop
	}
	return nil
}

// build decodes the raw attributes of one owner. A decoding error leaves the list empty,
// with Err naming the owner and the attribute.
func build(x homedResourceXML, owner string, mode nameMode) *contactList {
	owner = ownerAddress(owner)
	cl, err := decodeNames(x, owner, mode)
	if err != nil {
		return &contactList{Owner: owner, Err: err}
	}
	return cl
}

func decodeNames(x homedResourceXML, owner string, mode nameMode) (*contactList, error) {
	if owner == "" {
		return nil, errors.New("HomedResource without an owner (UserAtHost or DocItem Name)")
	}
	if mode == detectNames {
		mode = detect(x.Groups)
	}
	name := func(s string) (string, error) {
		if mode == base64Names {
			return decodeBase64(s)
		}
		return s, nil
	}
	cl := &contactList{Owner: owner, Groups: make([]contactGroup, 0, len(x.Groups)), Contacts: make([]contactEntry, 0, len(x.Contacts))}
	for _, g := range x.Groups {
		n, err := strconv.Atoi(strings.TrimSpace(g.Number))
		if err != nil {
			return nil, fmt.Errorf("sip:%s: ContactGroup attribute Number %q is not a group number", owner, g.Number)
		}
		dn, err := name(g.Name)
		if err != nil {
			return nil, fmt.Errorf("sip:%s: ContactGroup %d attribute DisplayName: %w", owner, n, err)
		}
		ext, err := name(g.Ext)
		if err != nil {
			return nil, fmt.Errorf("sip:%s: ContactGroup %d attribute ExternalUri: %w", owner, n, err)
		}
		cl.Groups = append(cl.Groups, contactGroup{Number: n, Name: dn, ExternalURI: strings.TrimSpace(ext)})
	}
	for _, c := range x.Contacts {
		raw := c.Name
		if raw == "" && mode == plainNames {
			raw = c.AltName
		}
		nick, err := name(raw)
		if err != nil {
			return nil, fmt.Errorf("sip:%s: Contact %s attribute DisplayName: %w", owner, c.Buddy, err)
		}
		var groups []int
		if fields := strings.Fields(c.Groups); len(fields) > 0 {
			groups = make([]int, 0, len(fields))
			for _, f := range fields {
				n, err := strconv.Atoi(f)
				if err != nil {
					return nil, fmt.Errorf("sip:%s: Contact %s attribute Groups %q: %q is not a group number", owner, c.Buddy, c.Groups, f)
				}
				groups = append(groups, n)
			}
		}
		cl.Contacts = append(cl.Contacts, contactEntry{Buddy: c.Buddy, Nickname: nick, Groups: groups})
	}
	return cl, nil
}

// detect tells base64 names from plain ones in a HomedResources document: every Lync list
// has the built-in "~" group, which reads "fg==" when the names are base64.
func detect(groups []rawGroup) nameMode {
	b64 := false
	for _, g := range groups {
		switch g.Name {
		case lyncDefaultGroup:
			return plainNames
		case "fg==":
			b64 = true
		}
	}
	if b64 {
		return base64Names
	}
	return plainNames
}
